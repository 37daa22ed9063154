namespace Governance.Storage.Streams;

/// <summary>
/// A stream event that failed every delivery attempt and was set aside so its queue could move on:
/// kept for auditors with the error of its last attempt. <see cref="Id"/> orders the records.
/// </summary>
/// <param name="Partition">The stream queue the event was read from.</param>
public sealed record SetAsideEvent(
    long Id,
    string Consumer,
    string Namespace,
    int Partition,
    long Seq,
    string Key,
    string Payload,
    DateTimeOffset AppendedAt,
    string Error,
    int Attempts,
    DateTimeOffset SetAsideAt);
