using Microsoft.Extensions.Logging;

namespace Governance.Client;

internal static partial class ClientLog
{
    [LoggerMessage(1, LogLevel.Information, "No gateway of the governance cluster answered yet ({Reason}); retrying.")]
    public static partial void ConnectRetry(ILogger logger, string reason);

    [LoggerMessage(2, LogLevel.Information, "Query {Operation} on {Target} got no answer (attempt {Attempt}); retrying.")]
    public static partial void QueryRetry(ILogger logger, string operation, string target, int attempt);
}
