namespace Governance.Bench;

[GrainType("bench-empty")]
public sealed class EmptyGrain : Grain, IEmptyGrain
{
    public Task Ping() => Task.CompletedTask;
}
