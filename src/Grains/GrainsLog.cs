using Microsoft.Extensions.Logging;

namespace Governance.Grains;

/// <summary>Every log message of the governance domain, with named event ids.</summary>
internal static partial class GrainsLog
{
    [LoggerMessage(EventId = 2001, EventName = "DriftAlert", Level = LogLevel.Warning,
        Message = "Drift alert for {ModelId} (event {EventId}): {Severity}, severity {DriftSeverity}, revoked {Revoked}")]
    public static partial void DriftAlert(ILogger logger, string modelId, string eventId, string severity, double driftSeverity, bool revoked);

    [LoggerMessage(EventId = 2002, EventName = "DriftAlertAttemptFailed", Level = LogLevel.Warning,
        Message = "Posting the drift alert of {ModelId} (event {EventId}) failed on attempt {Attempt} (HTTP {StatusCode})")]
    public static partial void DriftAlertAttemptFailed(ILogger logger, Exception? exception, string modelId, string eventId, int attempt, int statusCode);

    [LoggerMessage(EventId = 2003, EventName = "DriftAlertDropped", Level = LogLevel.Error,
        Message = "The drift alert of {ModelId} (event {EventId}) was not delivered to the webhook")]
    public static partial void DriftAlertDropped(ILogger logger, string modelId, string eventId);

    [LoggerMessage(EventId = 2004, EventName = "ReminderChangeFailed", Level = LogLevel.Warning,
        Message = "Changing reminder {ReminderName} of model {ModelId} failed after its state committed; the expiry catch-up covers it")]
    public static partial void ReminderChangeFailed(ILogger logger, Exception exception, string modelId, string reminderName);

    [LoggerMessage(EventId = 2005, EventName = "DriftEventSetAside", Level = LogLevel.Error,
        Message = "Drift event {Seq} of model {ModelId} failed {Attempts} delivery attempts and was set aside: {Error}")]
    public static partial void DriftEventSetAside(ILogger logger, string modelId, long seq, int attempts, string error);

    [LoggerMessage(EventId = 2006, EventName = "DriftEventFailed", Level = LogLevel.Warning,
        Message = "Drift event {Seq} of model {ModelId} failed delivery attempt {Attempt}; it is retried")]
    public static partial void DriftEventFailed(ILogger logger, Exception exception, string modelId, long seq, int attempt);

    [LoggerMessage(EventId = 2007, EventName = "DriftEventRetry", Level = LogLevel.Debug,
        Message = "Drift event {Seq} of model {ModelId} failed delivery attempt {Attempt} again")]
    public static partial void DriftEventRetry(ILogger logger, string modelId, long seq, int attempt);

    [LoggerMessage(EventId = 2008, EventName = "ExpiryCatchUpFailed", Level = LogLevel.Warning,
        Message = "The expiry catch-up could not read due approvals; it tries again in a second")]
    public static partial void ExpiryCatchUpFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2009, EventName = "ExpiryCatchUpExpired", Level = LogLevel.Debug,
        Message = "The expiry catch-up told {Count} models with an approval past its expiry")]
    public static partial void ExpiryCatchUpExpired(ILogger logger, int count);

    [LoggerMessage(EventId = 2010, EventName = "ExpiryCatchUpModelsFailed", Level = LogLevel.Warning,
        Message = "The expiry catch-up could not tell {Failed} of {Count} models with an approval past its expiry; it tries again in {Retry}")]
    public static partial void ExpiryCatchUpModelsFailed(ILogger logger, Exception? exception, int failed, int count, TimeSpan retry);
}
