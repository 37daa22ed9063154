using System.Net.Http.Json;
using System.Threading.Channels;
using Governance.Grains.Wire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Governance.Grains.Drift;

/// <summary>
/// Logs every drift alert and, when a webhook is configured, POSTs it as JSON with retries and
/// exponential backoff — in the background, so a slow or failing webhook never holds up a revoke.
/// </summary>
internal sealed class WebhookDriftAlertSink(
    IHttpClientFactory httpClients,
    IOptions<DriftAlertOptions> options,
    ILogger<WebhookDriftAlertSink> logger) : BackgroundService, IDriftAlertSink
{
    public const string HttpClientName = "drift-alerts";

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly Channel<DriftAlert> _queue = Channel.CreateBounded<DriftAlert>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    public void Publish(DriftAlert alert)
    {
        GrainsLog.DriftAlert(logger, alert.ModelId, alert.EventId, alert.Severity, alert.DriftSeverity, alert.Revoked);
        if (options.Value.AlertWebhookUrl is not null && !_queue.Writer.TryWrite(alert))
        {
            GrainsLog.DriftAlertDropped(logger, alert.ModelId, alert.EventId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var alert in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await SendAsync(alert, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: alerts still queued are lost, as the log already shows them.
        }
    }

    private async Task SendAsync(DriftAlert alert, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var backoff = settings.AlertInitialBackoff;
        for (var attempt = 1; attempt <= settings.AlertAttempts; attempt++)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(settings.AlertTimeout);
                using var response = await httpClients.CreateClient(HttpClientName)
                    .PostAsJsonAsync(settings.AlertWebhookUrl, alert, GovernanceJsonContext.Default.DriftAlert, timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                GrainsLog.DriftAlertAttemptFailed(logger, null, alert.ModelId, alert.EventId, attempt, (int)response.StatusCode);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                GrainsLog.DriftAlertAttemptFailed(logger, exception, alert.ModelId, alert.EventId, attempt, 0);
            }

            if (attempt < settings.AlertAttempts)
            {
                await Task.Delay(backoff, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }

        GrainsLog.DriftAlertDropped(logger, alert.ModelId, alert.EventId);
    }
}
