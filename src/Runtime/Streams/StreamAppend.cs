namespace Governance.Runtime.Streams;

/// <summary>An event to append to the stream of <see cref="Key"/> in <see cref="Namespace"/>.</summary>
public sealed record StreamAppend(string Namespace, string Key, string Payload)
{
    public int Partition { get; } = Partitioning.PartitionOf(Key);
}
