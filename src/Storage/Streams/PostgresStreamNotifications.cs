using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Governance.Storage.Streams;

/// <summary>
/// One LISTEN connection per provider and process: turns the notifications appends send at commit
/// into wakeups of this process's receivers, so an idle receiver issues no query. Starts with the
/// first receiver. After a lost connection it wakes every receiver, since notifications sent
/// meanwhile are gone.
/// </summary>
internal sealed class PostgresStreamNotifications(NpgsqlDataSource dataSource, string provider, ILogger logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, Action> _receivers = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private Task? _listening;

    /// <summary>Calls <paramref name="wake"/> whenever queue <paramref name="queue"/> may have new events.</summary>
    public void Subscribe(int queue, Action wake)
    {
        _receivers[queue] = wake;
        lock (_lock)
        {
            _listening ??= Task.Run(() => ListenAsync(_stopping.Token));
        }
    }

    public void Unsubscribe(int queue) => _receivers.TryRemove(queue, out _);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_listening is not null)
        {
            await _listening.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                string schema;
                await using (var command = new NpgsqlCommand("LISTEN " + PostgresStreamLog.NotificationChannel + "; SELECT current_schema()", connection))
                {
                    schema = (string)(await command.ExecuteScalarAsync(stoppingToken))!;
                }

                var prefix = schema + "|" + provider + "|";
                connection.Notification += (_, notification) => OnNotification(prefix, notification.Payload);
                failing = false;
                WakeAll();
                while (!stoppingToken.IsCancellationRequested)
                {
                    // A timeout now and then lets a dead connection surface as an error (keepalive query).
                    if (!await connection.WaitAsync(TimeSpan.FromSeconds(30), stoppingToken))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteNonQueryAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                if (!failing)
                {
                    StreamLog.ListenerFailed(logger, exception, provider);
                    failing = true;
                }
                else
                {
                    StreamLog.ListenerStillFailing(logger, provider, exception.Message);
                }

                // Receivers read (and fail, and retry) on their own until the listener is back.
                WakeAll();
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private void WakeAll()
    {
        foreach (var wake in _receivers.Values)
        {
            wake();
        }
    }

    private void OnNotification(string prefix, string payload)
    {
        if (payload.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(payload.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var queue)
            && _receivers.TryGetValue(queue, out var wake))
        {
            wake();
        }
    }
}
