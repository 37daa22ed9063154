namespace Governance.Runtime.Streams;

/// <summary>A seq in a partition: where an appended event landed, or how far a consumer got.</summary>
public sealed record StreamPosition(int Partition, long Seq);
