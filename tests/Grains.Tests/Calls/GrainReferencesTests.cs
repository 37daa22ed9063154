using Governance.Grains.Calls;
using Governance.Grains.Tests.Models;

namespace Governance.Grains.Tests.Calls;

/// <summary>The kept grain references of <see cref="GrainReferences{TGrain}"/>: one per key, bounded.</summary>
[Trait("Category", "Unit")]
public sealed class GrainReferencesTests
{
    [Fact]
    public async Task A_key_keeps_its_reference_until_the_capacity_is_passed_then_the_cache_starts_over()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        var references = new GrainReferences<IModelGovernanceGrain>(runtime.Grains, capacity: 2);

        var first = references.Get("refs-a");
        Assert.Same(first, references.Get("refs-a"));
        Assert.Equal(runtime.Grains.GetGrain<IModelGovernanceGrain>("refs-a").GetGrainId(), first.GetGrainId());

        references.Get("refs-b");
        references.Get("refs-c");
        var again = references.Get("refs-a");

        Assert.NotSame(first, again);
        Assert.Equal(first.GetGrainId(), again.GetGrainId());
    }
}
