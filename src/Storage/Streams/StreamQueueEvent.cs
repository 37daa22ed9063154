namespace Governance.Storage.Streams;

/// <summary>One event read from a PostgreSQL stream queue.</summary>
internal sealed record StreamQueueEvent(long Seq, string Namespace, string Key, string Payload, DateTimeOffset AppendedAt);
