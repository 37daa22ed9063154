using Governance.Runtime.Activation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Governance.Runtime.Reminders;

/// <summary>
/// Delivers due reminders of the owned partitions: one indexed query per poll, no timer per
/// reminder. A reminder is completed only after its grain handled it, so delivery is at least once.
/// </summary>
internal sealed class ReminderService(
    IReminderTable table,
    IPartitionOwnership ownership,
    GrainDispatcher dispatcher,
    TimeProvider time,
    IOptions<ReminderOptions> options,
    ILogger<ReminderService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var delivered = 0;
            try
            {
                delivered = await DeliverDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                RuntimeLog.ReminderPollFailed(logger, exception);
            }

            // A full batch means more may be due: fetch again at once.
            if (delivered < options.Value.BatchSize)
            {
                try
                {
                    await Task.Delay(options.Value.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Fetches and delivers one batch of due reminders; returns how many were fetched.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var due = await table.GetDueAsync(ownership.OwnedPartitions, now, settings.BatchSize, cancellationToken);
        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrentDeliveries, CancellationToken = cancellationToken },
            async (reminder, token) =>
            {
                try
                {
                    await dispatcher.DeliverReminderAsync(reminder.Grain, reminder.Name, reminder.DueAt, token);
                    await table.CompleteAsync(reminder, NextDue(reminder, now), token);
                    RuntimeMetrics.RemindersDelivered.Add(1);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception exception)
                {
                    // Left in the table: the next poll delivers it again.
                    RuntimeMetrics.ReminderFailures.Add(1);
                    RuntimeLog.ReminderDeliveryFailed(logger, exception, reminder.Grain, reminder.Name);
                }
            });
        return due.Count;
    }

    private static DateTimeOffset? NextDue(DueReminder reminder, DateTimeOffset now)
    {
        if (reminder.Period is not { } period || period <= TimeSpan.Zero)
        {
            return null;
        }

        // Skip missed periods instead of replaying each one.
        var missed = Math.Max(0, (now - reminder.DueAt).Ticks / period.Ticks);
        return reminder.DueAt + (period * (missed + 1));
    }
}
