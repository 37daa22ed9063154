namespace Governance.Runtime.Streams;

/// <summary>
/// A grain that consumes a stream implicitly: the grain keyed by each event's key receives it, in
/// order. Delivery is at least once: an event may come again after a failure, never out of order.
/// </summary>
public interface IStreamSubscriber
{
    /// <summary>
    /// The next events of this grain's key, in seq order, in one turn: one or more, as many as
    /// arrived since the last delivery (up to the read batch). When the call throws, the partition
    /// goes back to its saved checkpoint: these events come again, and so does every event of this
    /// key since that checkpoint (those already applied are replays then). A subscriber that lost
    /// state it kept unsaved throws <see cref="StreamRedeliveryRequiredException"/> to get those
    /// events back. <paramref name="cancellationToken"/> fires when the silo stops: a subscriber may
    /// stop between events by throwing, and the events come again.
    /// </summary>
    Task OnStreamEvents(IReadOnlyList<StreamEvent> events, CancellationToken cancellationToken);

    /// <summary>
    /// Called before the consumer's checkpoint moves past this key's events up to
    /// <paramref name="throughSeq"/>: make their effects durable. Return false when some were lost
    /// (state kept unsaved and dropped by a reload): those events are delivered again. A subscriber
    /// that writes everything within <see cref="OnStreamEvents"/> need not implement it.
    /// </summary>
    Task<bool> OnStreamCheckpoint(long throughSeq, CancellationToken cancellationToken) => Task.FromResult(true);
}
