namespace Governance.Storage.Tests.Orleans;

public sealed class EchoGrain(ILocalSiloDetails silo) : Grain, IEchoGrain
{
    public Task<string> Echo(string text) => Task.FromResult($"{this.GetPrimaryKeyString()}:{text}");

    public Task<string> SiloAddress() => Task.FromResult(silo.SiloAddress.ToString());
}
