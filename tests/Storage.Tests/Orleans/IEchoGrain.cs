namespace Governance.Storage.Tests.Orleans;

/// <summary>A grain that answers with its key and the silo it lives on.</summary>
public interface IEchoGrain : IGrainWithStringKey
{
    Task<string> Echo(string text);

    Task<string> SiloAddress();
}
