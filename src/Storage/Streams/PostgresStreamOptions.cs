namespace Governance.Storage.Streams;

/// <summary>
/// Options of a PostgreSQL stream provider (<see cref="PostgresQueueAdapterFactory"/>), named by the
/// provider. Validated at start by <see cref="PostgresStreamOptionsValidator"/>.
/// </summary>
public sealed class PostgresStreamOptions
{
    /// <summary>
    /// Orleans queues of the provider, each an ordered log owned by one silo at a time. Default 8, which
    /// is what migration 0007 created and moved the old log's events into: keep it while a schema holds
    /// events of another count (a stream's queue is its key's partition modulo this count).
    /// </summary>
    public int QueueCount { get; set; } = 8;

    /// <summary>Most events one read of a queue returns. Default 1,000.</summary>
    public int ReadBatchSize { get; set; } = 1_000;

    /// <summary>
    /// Most consecutive events of one stream in one batch container (Orleans delivers a container's
    /// events in one call). Default 1 (no grouping): Orleans retries and gives up on a whole container,
    /// so with grouping an event it gives up on takes its neighbours in the container with it (they are
    /// set aside too, and the later ones are not delivered). Raise it only for consumers that set
    /// poison events aside themselves well within <see cref="MaxEventDeliveryTime"/>.
    /// </summary>
    public int MaxEventsPerContainer { get; set; } = 1;

    /// <summary>
    /// Most batch containers of one stream Orleans hands its consumer in one call
    /// (<c>StreamPullingAgentOptions.BatchContainerBatchSize</c>): what queued up for a stream while its consumer
    /// was busy arrives together, so a batch observer can record it in one write. Default 1. As with
    /// <see cref="MaxEventsPerContainer"/>, Orleans retries and gives up on a whole delivery: raise it only for
    /// consumers that set poison events aside themselves.
    /// </summary>
    public int MaxContainersPerDelivery { get; set; } = 1;

    /// <summary>Most appends (of any streams and queues) committed in one transaction. Default 512.</summary>
    public int MaxAppendsPerTransaction { get; set; } = 512;

    /// <summary>
    /// How often at most a receiver writes its confirmed checkpoint (and at shutdown). Default 250 ms: after
    /// a crash at most this much confirmed delivery, plus what Orleans' cache had not yet confirmed, comes again.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long delivered events stay in the log before the cleanup deletes them. Default 1 hour.
    /// Undelivered events are never deleted.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often a receiver looks for delivered events past <see cref="Retention"/>. Default 1 minute.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most events one cleanup statement deletes. Default 5,000.</summary>
    public int CleanupBatchSize { get; set; } = 5_000;

    /// <summary>
    /// Orleans' pulling period (<c>StreamPullingAgentOptions.GetQueueMsgsTimerPeriod</c>). A tick of an idle
    /// receiver costs no query (a notification tells it when its queue has new events) and waits up to
    /// <see cref="NotificationWait"/> for one; Orleans' next tick comes one period after a pull ends, so an
    /// event appended in that gap waits for it. Default 10 ms.
    /// </summary>
    public TimeSpan PullingPeriod { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// How long a pull with nothing to read waits for a notification before it returns empty: a new event is
    /// read as soon as its append commits. Zero: no wait (picked up at the next pulling tick). Default 100 ms.
    /// </summary>
    public TimeSpan NotificationWait { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Least time between two reads of a queue that return events. Under load a notification comes with every
    /// append transaction; waiting out the rest of this interval after the last read that found events lets one
    /// read take the events of several appends. An event after a quiet spell is read at once. Default 10 ms.
    /// </summary>
    public TimeSpan MinReadInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// How long Orleans keeps retrying the delivery of an event before giving up on it
    /// (<c>StreamPullingAgentOptions.MaxEventDeliveryTime</c>); the provider then records it set aside
    /// (error "delivery time exceeded") and moves on. Default 10 minutes, so that a storage outage of
    /// minutes (the consumer failing all along) delays events but does not set them aside; the consumer
    /// grain sets a truly poisonous event aside itself after its own bounded attempts, long before.
    /// </summary>
    public TimeSpan MaxEventDeliveryTime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The consumer under which events Orleans gave up on are set aside (<see cref="IStreamSetAside"/>).
    /// Default "drift-monitor", the grain type consuming the drift stream, so a record the grain wrote
    /// itself is kept rather than duplicated.
    /// </summary>
    public string SetAsideConsumer { get; set; } = "drift-monitor";

    /// <summary>Size of Orleans' queue cache per queue, in batch containers. Default 1,024.</summary>
    public int CacheSize { get; set; } = 1_024;
}
