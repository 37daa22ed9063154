using Governance.Runtime.Activation;
using Governance.Runtime.Reminders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Governance.Runtime.Streams;

/// <summary>
/// Delivers stream events of the owned partitions to their subscriber grains: per partition in
/// seq order, keys of a batch concurrently (each key in order), then moves the checkpoint. Woken
/// by <see cref="StreamWakeups"/>; a periodic sweep covers missed notifications.
/// </summary>
internal sealed class StreamPump(
    IStreamStore store,
    StreamWakeups wakeups,
    IEnumerable<StreamSubscription> subscriptions,
    IPartitionOwnership ownership,
    GrainDispatcher dispatcher,
    TimeProvider time,
    IOptions<StreamOptions> options,
    ILogger<StreamPump> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(subscriptions.Select(s => Task.Run(() => RunAsync(s, stoppingToken), stoppingToken)));

    private async Task RunAsync(StreamSubscription subscription, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var signals = wakeups.Subscribe(subscription.Namespace);
        var checkpoints = new Dictionary<int, long>();
        var retryAt = new Dictionary<int, long>();
        var pending = new HashSet<int>();
        var sweepDue = true;
        var lastSweep = time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (sweepDue)
                {
                    lastSweep = time.GetTimestamp();
                    var owned = ownership.OwnedPartitions;
                    pending.UnionWith(await store.GetPendingPartitionsAsync(subscription.GrainTypeName, subscription.Namespace, owned, stoppingToken));
                    sweepDue = false;
                }

                var now = time.GetTimestamp();
                var ready = pending.Where(p => !retryAt.TryGetValue(p, out var at) || at <= now).ToList();
                foreach (var partition in ready)
                {
                    pending.Remove(partition);
                    retryAt.Remove(partition);
                    var outcome = await DrainPartitionAsync(subscription, partition, checkpoints, stoppingToken);
                    if (outcome != PartitionOutcome.Drained)
                    {
                        pending.Add(partition);
                    }

                    if (outcome == PartitionOutcome.Failed)
                    {
                        retryAt[partition] = now + (long)(settings.RetryDelay.TotalSeconds * time.TimestampFrequency);
                    }
                }

                var sweepRequested = await WaitForWorkAsync(signals, pending, retryAt.Count > 0 || pending.Count > 0, settings, stoppingToken);

                // A partition that keeps failing must not starve the sweep of the others.
                sweepDue = sweepRequested || time.GetElapsedTime(lastSweep) >= settings.SweepInterval;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                RuntimeLog.StreamPumpFailed(logger, exception, subscription.Namespace, subscription.GrainTypeName);
                checkpoints.Clear();
                sweepDue = true;
                await Task.Delay(settings.RetryDelay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Waits for a notification or the sweep interval; returns whether a sweep is due.</summary>
    private static async Task<bool> WaitForWorkAsync(
        System.Threading.Channels.ChannelReader<int> signals, HashSet<int> pending, bool busy, StreamOptions settings, CancellationToken stoppingToken)
    {
        var sweep = false;
        if (!signals.TryPeek(out _))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(busy ? TimeSpan.FromMilliseconds(100) : settings.SweepInterval);
            try
            {
                await signals.WaitToReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                sweep = !busy;
            }
        }

        while (signals.TryRead(out var partition))
        {
            if (partition == StreamWakeups.SweepAll)
            {
                sweep = true;
            }
            else
            {
                pending.Add(partition);
            }
        }

        return sweep;
    }

    private async Task<PartitionOutcome> DrainPartitionAsync(
        StreamSubscription subscription, int partition, Dictionary<int, long> checkpoints, CancellationToken cancellationToken)
    {
        if (!checkpoints.TryGetValue(partition, out var checkpoint))
        {
            checkpoint = await store.GetCheckpointAsync(subscription.GrainTypeName, subscription.Namespace, partition, cancellationToken);
        }

        var events = await store.ReadAsync(subscription.Namespace, partition, checkpoint, options.Value.ReadBatch, cancellationToken);
        if (events.Count == 0)
        {
            checkpoints[partition] = checkpoint;
            return PartitionOutcome.Drained;
        }

        // The checkpoint may only pass events every key finished: stop before the first failure.
        var firstFailed = long.MaxValue;
        await Parallel.ForEachAsync(
            events.GroupBy(e => e.Key, StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrentKeys, CancellationToken = cancellationToken },
            async (keyEvents, token) =>
            {
                foreach (var streamEvent in keyEvents)
                {
                    var grain = new GrainId(subscription.GrainTypeName, streamEvent.Key);
                    try
                    {
                        await dispatcher.DeliverStreamEventAsync(grain, streamEvent, token);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException || !token.IsCancellationRequested)
                    {
                        RuntimeLog.StreamDeliveryFailed(logger, exception, streamEvent.Namespace, partition, streamEvent.Seq, grain);
                        InterlockedMin(ref firstFailed, streamEvent.Seq);
                        return;
                    }
                }
            });

        var reached = firstFailed == long.MaxValue ? events[^1].Seq : firstFailed - 1;
        if (reached > checkpoint)
        {
            await store.SaveCheckpointAsync(subscription.GrainTypeName, subscription.Namespace, partition, reached, cancellationToken);
        }

        checkpoints[partition] = reached;
        return firstFailed != long.MaxValue ? PartitionOutcome.Failed
            : events.Count == options.Value.ReadBatch ? PartitionOutcome.MoreRemain
            : PartitionOutcome.Drained;
    }

    private static void InterlockedMin(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private enum PartitionOutcome
    {
        Drained,
        MoreRemain,
        Failed,
    }
}
