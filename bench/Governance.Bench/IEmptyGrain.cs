namespace Governance.Bench;

/// <summary>A grain with no state and no dependencies: what Orleans itself holds per activation (<c>memory --grain empty</c>).</summary>
[Alias("bench.empty")]
public interface IEmptyGrain : IGrainWithStringKey
{
    [Alias("ping")]
    Task Ping();
}
