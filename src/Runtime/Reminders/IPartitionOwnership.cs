namespace Governance.Runtime.Reminders;

/// <summary>The partitions whose reminders (and, later, streams) this silo processes.</summary>
public interface IPartitionOwnership
{
    IReadOnlyCollection<int> OwnedPartitions { get; }
}
