using Governance.Runtime.Streams;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Governance.Runtime.Postgres;

/// <summary>
/// Keeps one connection listening for stream notifications and turns those of this schema into
/// wakeups. After a lost connection it asks every consumer to sweep, since notifications sent
/// meanwhile are gone.
/// </summary>
internal sealed class PostgresStreamListener(
    NpgsqlDataSource dataSource, StreamWakeups wakeups, ILogger<PostgresStreamListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                string schema;
                await using (var command = new NpgsqlCommand("SELECT current_schema(); LISTEN " + PostgresStreamStore.NotificationChannel, connection))
                {
                    schema = (string)(await command.ExecuteScalarAsync(stoppingToken))!;
                }

                connection.Notification += (_, notification) => OnNotification(schema, notification.Payload);
                wakeups.NotifyAll();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                RuntimeLog.StreamListenerFailed(logger, exception);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private void OnNotification(string schema, string payload)
    {
        // Payload: "{schema}|{namespace}|{partition},{partition},…".
        var parts = payload.Split('|');
        if (parts.Length != 3 || parts[0] != schema)
        {
            return;
        }

        foreach (var item in parts[2].Split(','))
        {
            if (int.TryParse(item, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var partition))
            {
                wakeups.Notify(parts[1], partition);
            }
        }
    }
}
