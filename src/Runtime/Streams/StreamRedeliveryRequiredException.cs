namespace Governance.Runtime.Streams;

/// <summary>
/// Thrown by a stream subscriber that lost the effects of events it was handed (state it kept
/// unsaved, dropped by a reload after a failed write): the pump delivers its partition again from
/// the saved checkpoint, which the subscriber's durable state has reached.
/// </summary>
public sealed class StreamRedeliveryRequiredException(string message) : Exception(message);
