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
}
