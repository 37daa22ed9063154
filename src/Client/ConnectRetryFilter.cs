using Microsoft.Extensions.Logging;

namespace Governance.Client;

/// <summary>Keeps trying to reach a gateway at start-up, once a second, until the connect timeout.</summary>
internal sealed class ConnectRetryFilter(TimeSpan timeout, TimeProvider clock, ILogger<ConnectRetryFilter> logger) : IClientConnectionRetryFilter
{
    private readonly long _started = clock.GetTimestamp();

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (clock.GetElapsedTime(_started) >= timeout)
        {
            return false;
        }

        ClientLog.ConnectRetry(logger, exception.Message);
        await Task.Delay(TimeSpan.FromSeconds(1), clock, cancellationToken);
        return true;
    }
}
