namespace Governance.Runtime.Streams;

/// <summary>Stream append batching and delivery.</summary>
public sealed class StreamOptions
{
    /// <summary>At most this many appends share one transaction. Default: 512.</summary>
    public int MaxAppendBatch { get; set; } = 512;

    /// <summary>Append transactions in flight at once. Default: 4.</summary>
    public int AppendWriters { get; set; } = 4;

    /// <summary>Events read from one partition in one delivery round. Default: 128.</summary>
    public int ReadBatch { get; set; } = 128;

    /// <summary>Partitions read together in one delivery round. Default: 256.</summary>
    public int MaxPartitionsPerRound { get; set; } = 256;

    /// <summary>Keys of one round delivered concurrently (each key stays in order). Default: 64.</summary>
    public int MaxConcurrentKeys { get; set; } = 64;

    /// <summary>
    /// Without a notification, partitions are checked for events this often (a safety net for
    /// missed notifications). Default: 5 seconds.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Delivered positions are saved as checkpoints at most this often (the first after a quiet spell
    /// at once), each after the subscribers made what they were handed durable; a subscriber that
    /// defers its writes to that moment writes at most once per interval. A crash replays at most
    /// about this much. Zero saves after every delivery round. Default: 1 second.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A partition whose delivery failed is retried after this delay. Default: 1 second.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// An event whose delivery failed this many times (each a failure of the event delivered on its
    /// own, with an error other than an unreachable store, a conflict, a cancellation or a requested
    /// redelivery) is set aside: recorded with its error for auditors, and its partition moves on.
    /// At least 1. Default: 5.
    /// </summary>
    public int MaxDeliveryAttempts { get; set; } = 5;

    /// <summary>
    /// PostgreSQL keeps stream events that every consumer checkpointed until they are this old, then
    /// deletes them in bounded batches (the memory store drops them as soon as every consumer
    /// checkpointed them: nothing of it survives a restart). Zero deletes them once checkpointed.
    /// Default: 1 hour.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(1);

    internal bool IsValid() =>
        MaxAppendBatch > 0 && AppendWriters > 0 && ReadBatch > 0 && MaxPartitionsPerRound > 0 && MaxConcurrentKeys > 0 && SweepInterval > TimeSpan.Zero && RetryDelay >= TimeSpan.Zero
        && CheckpointInterval >= TimeSpan.Zero && MaxDeliveryAttempts > 0 && Retention >= TimeSpan.Zero;
}
