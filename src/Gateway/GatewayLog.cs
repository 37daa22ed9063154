using Microsoft.Extensions.Logging;

namespace Governance.Gateway;

/// <summary>Every log message of the gateway, with named event ids.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 3001, EventName = "UnhandledException", Level = LogLevel.Error,
        Message = "Unhandled exception for {Method} {Path}")]
    public static partial void UnhandledException(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 3002, EventName = "StorageUnavailable", Level = LogLevel.Warning,
        Message = "Storage unavailable for {Method} {Path}")]
    public static partial void StorageUnavailable(ILogger logger, Exception exception, string method, string path);
}
