namespace Governance.Runtime.Streams;

/// <summary>
/// A grain that consumes a stream implicitly: the grain keyed by each event's key receives it, in
/// order. Delivery is at least once: an event may come again after a failure, never out of order.
/// </summary>
public interface IStreamSubscriber
{
    /// <summary>
    /// The next events of this grain's key, in seq order, in one turn: one or more, as many as
    /// arrived since the last delivery (up to the read batch). When the call throws, all of them
    /// come again. A subscriber that lost effects of events delivered before (state it kept unsaved,
    /// dropped by a reload) throws <see cref="StreamRedeliveryRequiredException"/>: every event of
    /// its partition since the saved checkpoint comes again, at once (those applied are replays).
    /// <paramref name="cancellationToken"/> fires when the silo stops: a subscriber may stop
    /// between events by throwing, and the events come again (those applied are replays then).
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
