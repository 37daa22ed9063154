namespace Governance.Runtime.Reminders;

/// <summary>A single-silo deployment: this silo owns every partition.</summary>
internal sealed class AllPartitionsOwnership : IPartitionOwnership
{
    private static readonly IReadOnlyCollection<int> All = Enumerable.Range(0, Partitioning.PartitionCount).ToHashSet();

    public IReadOnlyCollection<int> OwnedPartitions => All;
}
