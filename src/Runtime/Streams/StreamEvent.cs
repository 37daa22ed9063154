namespace Governance.Runtime.Streams;

/// <summary>One event of a stream: ordered by <see cref="Seq"/> within its partition, and so per key.</summary>
public sealed record StreamEvent(string Namespace, string Key, int Partition, long Seq, string Payload, DateTimeOffset AppendedAt);
