using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Governance.Storage.Streams;

/// <summary>Every log message of the PostgreSQL stream provider, with named event ids.</summary>
internal static partial class StreamLog
{
    [LoggerMessage(EventId = 2001, EventName = "StreamQueueStorageUnavailable", Level = LogLevel.Warning,
        Message = "Stream queue {Provider}/{Queue}: the store is unavailable; retrying (further failures of this outage are logged at Debug)")]
    public static partial void StorageUnavailable(ILogger logger, Exception exception, string provider, int queue);

    [LoggerMessage(EventId = 2002, EventName = "StreamQueueStorageStillUnavailable", Level = LogLevel.Debug,
        Message = "Stream queue {Provider}/{Queue}: the store is still unavailable: {Error}")]
    public static partial void StorageStillUnavailable(ILogger logger, string provider, int queue, string error);

    [LoggerMessage(EventId = 2003, EventName = "StreamQueueStorageRecovered", Level = LogLevel.Information,
        Message = "Stream queue {Provider}/{Queue}: the store is reachable again")]
    public static partial void StorageRecovered(ILogger logger, string provider, int queue);

    [LoggerMessage(EventId = 2004, EventName = "StreamQueueReceiverStarted", Level = LogLevel.Information,
        Message = "Stream queue {Provider}/{Queue}: reading after the checkpoint {Checkpoint}")]
    public static partial void ReceiverStarted(ILogger logger, string provider, int queue, long checkpoint);

    [LoggerMessage(EventId = 2005, EventName = "StreamQueueReceiverStopped", Level = LogLevel.Information,
        Message = "Stream queue {Provider}/{Queue}: stopped at the checkpoint {Checkpoint}")]
    public static partial void ReceiverStopped(ILogger logger, string provider, int queue, long checkpoint);

    [LoggerMessage(EventId = 2006, EventName = "StreamQueueCleanedUp", Level = LogLevel.Debug,
        Message = "Stream queue {Provider}/{Queue}: deleted {Count} delivered events past retention")]
    public static partial void CleanedUp(ILogger logger, string provider, int queue, int count);

    [LoggerMessage(EventId = 2007, EventName = "StreamEventDeliveryGivenUp", Level = LogLevel.Error,
        Message = "Stream {StreamId}: Orleans gave up delivering seq {FirstSeq}..{LastSeq} ({Count} events) after the maximum delivery time; set aside for {Consumer}")]
    public static partial void DeliveryGivenUp(ILogger logger, StreamId streamId, long firstSeq, long lastSeq, int count, string consumer);

    [LoggerMessage(EventId = 2008, EventName = "StreamEventSetAsideFailed", Level = LogLevel.Error,
        Message = "Stream {StreamId}: Orleans gave up delivering seq {Seq} and recording it set aside failed; the event stays in the log until retention")]
    public static partial void SetAsideFailed(ILogger logger, Exception exception, StreamId streamId, long seq);

    [LoggerMessage(EventId = 2009, EventName = "StreamEventNotFound", Level = LogLevel.Error,
        Message = "Stream {StreamId}: Orleans gave up delivering seq {Seq}, which is no longer in the log; nothing to set aside")]
    public static partial void GivenUpEventNotFound(ILogger logger, StreamId streamId, long seq);

    [LoggerMessage(EventId = 2010, EventName = "StreamSubscriptionFailed", Level = LogLevel.Warning,
        Message = "Stream {StreamId}: subscription {SubscriptionId} failed at {Token}")]
    public static partial void SubscriptionFailed(ILogger logger, StreamId streamId, GuidId subscriptionId, string token);

    [LoggerMessage(EventId = 2011, EventName = "StreamListenerFailed", Level = LogLevel.Warning,
        Message = "Stream provider {Provider}: the notification listener lost its connection; reconnecting (receivers read once it is back)")]
    public static partial void ListenerFailed(ILogger logger, Exception exception, string provider);

    [LoggerMessage(EventId = 2012, EventName = "StreamListenerStillFailing", Level = LogLevel.Debug,
        Message = "Stream provider {Provider}: the notification listener still cannot connect: {Error}")]
    public static partial void ListenerStillFailing(ILogger logger, string provider, string error);
}
