namespace Governance.Runtime.Streams;

/// <summary>Where an appended event landed.</summary>
public sealed record StreamPosition(int Partition, long Seq);
