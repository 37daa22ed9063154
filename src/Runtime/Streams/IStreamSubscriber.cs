namespace Governance.Runtime.Streams;

/// <summary>
/// A grain that consumes a stream implicitly: the grain keyed by each event's key receives it, in
/// order. Delivery is at least once: an event may come again after a failure, never out of order.
/// </summary>
public interface IStreamSubscriber
{
    Task OnStreamEvent(StreamEvent streamEvent);
}
