namespace Governance.Storage.Streams;

/// <summary>One event to append to a PostgreSQL stream queue, its payload already encoded.</summary>
internal readonly record struct StreamQueueAppend(string Namespace, string Key, string Payload);
