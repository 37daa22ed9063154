namespace Governance.Storage.Streams;

/// <summary>One event to append to PostgreSQL stream queue <see cref="Queue"/>, its payload already encoded.</summary>
internal readonly record struct StreamQueueAppend(int Queue, string Namespace, string Key, string Payload);
