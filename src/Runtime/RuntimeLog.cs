using Microsoft.Extensions.Logging;

namespace Governance.Runtime;

/// <summary>Every log message of the runtime, with named event ids.</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(EventId = 1001, EventName = "ActivationsCollected", Level = LogLevel.Debug,
        Message = "Deactivated {Count} activations; {Remaining} remain")]
    public static partial void ActivationsCollected(ILogger logger, int count, int remaining);

    [LoggerMessage(EventId = 1002, EventName = "CollectionFailed", Level = LogLevel.Error,
        Message = "Activation collection failed")]
    public static partial void CollectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1101, EventName = "ReminderPollFailed", Level = LogLevel.Warning,
        Message = "Fetching due reminders failed; retrying at the next poll")]
    public static partial void ReminderPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1102, EventName = "ReminderDeliveryFailed", Level = LogLevel.Warning,
        Message = "Delivering reminder {Name} to {Grain} failed; it stays due")]
    public static partial void ReminderDeliveryFailed(ILogger logger, Exception exception, GrainId grain, string name);

    [LoggerMessage(EventId = 1201, EventName = "StorageSelected", Level = LogLevel.Information,
        Message = "Grain storage provider: {Provider}")]
    public static partial void StorageSelected(ILogger logger, string provider);

    [LoggerMessage(EventId = 1301, EventName = "StreamAppendFailed", Level = LogLevel.Warning,
        Message = "Appending {Count} stream events failed; none was acknowledged")]
    public static partial void StreamAppendFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 1302, EventName = "StreamDeliveryFailed", Level = LogLevel.Warning,
        Message = "Delivering stream event {Namespace}/{Partition}/{Seq} to {Grain} failed; it will be delivered again (further failures of it are logged at Debug)")]
    public static partial void StreamDeliveryFailed(ILogger logger, Exception exception, string @namespace, int partition, long seq, GrainId grain);

    [LoggerMessage(EventId = 1307, EventName = "StreamDeliveryFailedAgain", Level = LogLevel.Debug,
        Message = "Delivering stream event {Namespace}/{Partition}/{Seq} to {Grain} failed again ({Attempts} counted attempts): {Error}")]
    public static partial void StreamDeliveryFailedAgain(ILogger logger, string @namespace, int partition, long seq, GrainId grain, int attempts, string error);

    [LoggerMessage(EventId = 1308, EventName = "StreamEventSetAside", Level = LogLevel.Error,
        Message = "Stream event {Namespace}/{Partition}/{Seq} of key {Key} failed all {Attempts} delivery attempts to {Grain} and is set aside (kept for auditors); its partition moves on. Last error: {Error}")]
    public static partial void StreamEventSetAside(ILogger logger, string @namespace, int partition, long seq, string key, GrainId grain, int attempts, string error);

    [LoggerMessage(EventId = 1309, EventName = "StreamRetentionFailed", Level = LogLevel.Warning,
        Message = "Deleting checkpointed events of stream {Namespace} failed; retrying at the next sweep (further failures are logged at Debug until one succeeds)")]
    public static partial void StreamRetentionFailed(ILogger logger, Exception exception, string @namespace);

    [LoggerMessage(EventId = 1310, EventName = "StreamRetentionFailedAgain", Level = LogLevel.Debug,
        Message = "Deleting checkpointed events of stream {Namespace} failed again: {Error}")]
    public static partial void StreamRetentionFailedAgain(ILogger logger, string @namespace, string error);

    [LoggerMessage(EventId = 1311, EventName = "StreamEventsDeleted", Level = LogLevel.Debug,
        Message = "Deleted {Count} events of stream {Namespace} that every consumer checkpointed")]
    public static partial void StreamEventsDeleted(ILogger logger, string @namespace, int count);

    [LoggerMessage(EventId = 1303, EventName = "StreamPumpFailed", Level = LogLevel.Warning,
        Message = "Reading stream {Namespace} for {Consumer} failed; retrying")]
    public static partial void StreamPumpFailed(ILogger logger, Exception exception, string @namespace, string consumer);

    [LoggerMessage(EventId = 1304, EventName = "StreamListenerFailed", Level = LogLevel.Warning,
        Message = "The stream notification connection failed; reconnecting")]
    public static partial void StreamListenerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1305, EventName = "StreamCheckpointRefused", Level = LogLevel.Warning,
        Message = "{Grain} could not make its stream events of {Namespace}/{Partition} up to {Seq} durable; they will be delivered again")]
    public static partial void StreamCheckpointRefused(ILogger logger, Exception? exception, string @namespace, int partition, long seq, GrainId grain);

    [LoggerMessage(EventId = 1306, EventName = "StreamRedeliveryRequired", Level = LogLevel.Information,
        Message = "{Grain} lost effects of stream events it had not made durable; {Namespace}/{Partition} is delivered again from its saved checkpoint")]
    public static partial void StreamRedeliveryRequired(ILogger logger, Exception exception, string @namespace, int partition, GrainId grain);
}
