using System.Collections.Concurrent;
using Governance.Runtime.Activation;
using Governance.Runtime.Reminders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Governance.Runtime.Streams;

/// <summary>
/// Delivers stream events of the owned partitions to their subscriber grains in rounds: every
/// partition with news is read in one query, each key gets all its new events in one call (keys
/// concurrently, each in order), then the checkpoints move. Under load a round carries more events
/// per key, so the cost per event falls. Woken by <see cref="StreamWakeups"/>; a periodic sweep
/// covers missed notifications.
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
    /// <summary>How long a stopping pump tries to save its last checkpoints.</summary>
    private static readonly TimeSpan StopSaveTimeout = TimeSpan.FromSeconds(5);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(subscriptions.Select(s => Task.Run(() => RunAsync(s, stoppingToken), stoppingToken)));

    private async Task RunAsync(StreamSubscription subscription, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var signals = wakeups.Subscribe(subscription.Namespace);
        var checkpoints = new Dictionary<int, long>();
        var unsaved = new Dictionary<int, long>();
        var delivered = new Dictionary<(int Partition, string Key), long>();
        var lastSave = time.GetTimestamp();
        var retryAt = new Dictionary<int, long>();
        var pending = new HashSet<int>();
        var lastRound = new Dictionary<int, long>();
        var round = 0L;
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
                if (ready.Count > settings.MaxPartitionsPerRound)
                {
                    // More partitions have news than one round takes: those served longest ago go first.
                    ready = [.. ready.OrderBy(p => lastRound.GetValueOrDefault(p)).Take(settings.MaxPartitionsPerRound)];
                }

                if (ready.Count > 0)
                {
                    round++;
                    foreach (var partition in ready)
                    {
                        lastRound[partition] = round;
                    }

                    pending.ExceptWith(ready);
                    foreach (var (partition, outcome) in await DeliverRoundAsync(subscription, ready, checkpoints, unsaved, delivered, stoppingToken))
                    {
                        retryAt.Remove(partition);
                        if (outcome != PartitionOutcome.Drained)
                        {
                            pending.Add(partition);
                        }

                        if (outcome == PartitionOutcome.Failed)
                        {
                            retryAt[partition] = now + (long)(settings.RetryDelay.TotalSeconds * time.TimestampFrequency);
                        }
                    }
                }

                // Checkpoints are saved at most once per interval (the first one after a quiet spell at
                // once), each after the subscribers made what they were handed durable: under load a
                // subscriber writes once per interval rather than once per event. A crash replays at most
                // an interval of events, which subscribers skip (they are idempotent).
                var wait = NextWait(pending, retryAt, lastSweep, settings);
                if (delivered.Count > 0)
                {
                    var untilSave = settings.CheckpointInterval - time.GetElapsedTime(lastSave);
                    if (untilSave <= TimeSpan.Zero)
                    {
                        foreach (var partition in await SaveCheckpointsAsync(subscription, unsaved, delivered, stoppingToken))
                        {
                            // Back to its saved checkpoint: what was delivered since comes again.
                            checkpoints.Remove(partition);
                            pending.Add(partition);
                            wait = TimeSpan.Zero;
                        }

                        lastSave = time.GetTimestamp();
                    }
                    else if (untilSave < wait)
                    {
                        wait = untilSave;
                    }
                }

                var sweepRequested = await WaitForWorkAsync(signals, pending, wait, stoppingToken);

                // A partition that keeps failing must not starve the sweep of the others.
                sweepDue = sweepRequested || time.GetElapsedTime(lastSweep) >= settings.SweepInterval;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                RuntimeLog.StreamPumpFailed(logger, exception, subscription.Namespace, subscription.GrainTypeName);

                // Back to the saved checkpoints: what was delivered since is delivered again.
                checkpoints.Clear();
                unsaved.Clear();
                delivered.Clear();
                sweepDue = true;
                await Task.Delay(settings.RetryDelay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        await SaveOnStopAsync(subscription, unsaved, delivered);
    }

    /// <summary>
    /// Asks every key delivered to since the last save to make those events' effects durable, then
    /// saves the checkpoints of the partitions whose keys all did. Returns the other partitions.
    /// </summary>
    private async Task<ICollection<int>> SaveCheckpointsAsync(
        StreamSubscription subscription, Dictionary<int, long> unsaved, Dictionary<(int Partition, string Key), long> delivered,
        CancellationToken cancellationToken)
    {
        var refused = new ConcurrentDictionary<int, bool>();
        await Parallel.ForEachAsync(
            delivered,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrentKeys, CancellationToken = cancellationToken },
            async (entry, token) =>
            {
                var grain = new GrainId(subscription.GrainTypeName, entry.Key.Key);
                try
                {
                    if (!await dispatcher.CheckpointStreamAsync(grain, entry.Value, token))
                    {
                        RuntimeLog.StreamCheckpointRefused(logger, null, subscription.Namespace, entry.Key.Partition, entry.Value, grain);
                        refused[entry.Key.Partition] = true;
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    RuntimeLog.StreamCheckpointRefused(logger, exception, subscription.Namespace, entry.Key.Partition, entry.Value, grain);
                    refused[entry.Key.Partition] = true;
                }
            });

        var positions = unsaved.Where(p => !refused.ContainsKey(p.Key)).Select(p => new StreamPosition(p.Key, p.Value)).ToList();
        if (positions.Count > 0)
        {
            await store.SaveCheckpointsAsync(subscription.GrainTypeName, subscription.Namespace, positions, cancellationToken);
        }

        unsaved.Clear();
        delivered.Clear();
        return refused.Keys;
    }

    /// <summary>Saves what was delivered since the last save, so a clean restart replays nothing; failing that, it is replayed.</summary>
    private async Task SaveOnStopAsync(
        StreamSubscription subscription, Dictionary<int, long> unsaved, Dictionary<(int Partition, string Key), long> delivered)
    {
        if (delivered.Count == 0)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(StopSaveTimeout);
        try
        {
            await SaveCheckpointsAsync(subscription, unsaved, delivered, timeout.Token);
        }
        catch (Exception exception)
        {
            RuntimeLog.StreamPumpFailed(logger, exception, subscription.Namespace, subscription.GrainTypeName);
        }
    }

    /// <summary>No wait while a partition is ready; else until the next retry or the next sweep, whichever is first.</summary>
    private TimeSpan NextWait(HashSet<int> pending, Dictionary<int, long> retryAt, long lastSweep, StreamOptions settings)
    {
        var now = time.GetTimestamp();
        if (pending.Any(p => !retryAt.ContainsKey(p)))
        {
            return TimeSpan.Zero;
        }

        var wait = settings.SweepInterval - time.GetElapsedTime(lastSweep);
        foreach (var at in retryAt.Values)
        {
            var untilRetry = TimeSpan.FromSeconds((double)(at - now) / time.TimestampFrequency);
            wait = untilRetry < wait ? untilRetry : wait;
        }

        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    /// <summary>Waits up to <paramref name="wait"/> for a notification, then takes all; returns whether a sweep was asked for.</summary>
    private static async Task<bool> WaitForWorkAsync(
        System.Threading.Channels.ChannelReader<int> signals, HashSet<int> pending, TimeSpan wait, CancellationToken stoppingToken)
    {
        if (wait > TimeSpan.Zero && !signals.TryPeek(out _))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(wait);
            try
            {
                await signals.WaitToReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The wait is over: a retry or the sweep is due.
            }
        }

        var sweep = false;
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

    /// <summary>
    /// One round: reads the next events of every given partition in one query, hands each key its
    /// events in one call (keys concurrently), then moves the in-memory checkpoints; the moved ones
    /// are noted in <paramref name="unsaved"/> until they are saved.
    /// </summary>
    private async Task<Dictionary<int, PartitionOutcome>> DeliverRoundAsync(
        StreamSubscription subscription, List<int> partitions, Dictionary<int, long> checkpoints, Dictionary<int, long> unsaved,
        Dictionary<(int Partition, string Key), long> delivered, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var unknown = partitions.Where(p => !checkpoints.ContainsKey(p)).ToList();
        if (unknown.Count > 0)
        {
            var stored = await store.GetCheckpointsAsync(subscription.GrainTypeName, subscription.Namespace, unknown, cancellationToken);
            foreach (var partition in unknown)
            {
                checkpoints[partition] = stored.GetValueOrDefault(partition);
            }
        }

        var events = await store.ReadAsync(
            subscription.Namespace, [.. partitions.Select(p => new StreamPosition(p, checkpoints[p]))], settings.ReadBatch, cancellationToken);

        // A partition's checkpoint may only pass events every key of it finished: it stops before the
        // first failure, or goes back to the saved checkpoint when a key asked for a redelivery.
        var firstFailed = new ConcurrentDictionary<int, long>();
        var redeliver = new ConcurrentDictionary<int, bool>();
        var succeeded = new ConcurrentBag<((int Partition, string Key) Key, long Seq)>();
        await Parallel.ForEachAsync(
            events.GroupBy(e => (e.Partition, e.Key)),
            new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrentKeys, CancellationToken = cancellationToken },
            async (keyEvents, token) =>
            {
                var batch = keyEvents.ToList();
                var grain = new GrainId(subscription.GrainTypeName, keyEvents.Key.Key);
                try
                {
                    await dispatcher.DeliverStreamEventsAsync(grain, batch, token);
                    succeeded.Add((keyEvents.Key, batch[^1].Seq));
                }
                catch (StreamRedeliveryRequiredException exception)
                {
                    RuntimeLog.StreamRedeliveryRequired(logger, exception, subscription.Namespace, batch[0].Partition, grain);
                    redeliver[batch[0].Partition] = true;
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    RuntimeLog.StreamDeliveryFailed(logger, exception, subscription.Namespace, batch[0].Partition, batch[0].Seq, grain);
                    firstFailed.AddOrUpdate(batch[0].Partition, batch[0].Seq, (_, seen) => Math.Min(seen, batch[0].Seq));
                }
            });

        foreach (var (key, seq) in succeeded)
        {
            delivered[key] = Math.Max(seq, delivered.GetValueOrDefault(key));
        }

        var outcomes = partitions.ToDictionary(p => p, _ => PartitionOutcome.Drained);
        foreach (var read in events.GroupBy(e => e.Partition))
        {
            var failed = firstFailed.TryGetValue(read.Key, out var failedSeq);
            if (redeliver.ContainsKey(read.Key))
            {
                // The subscriber lost effects of events delivered before (state it kept unsaved): it
                // needs every event since the saved checkpoint, which its durable state has reached.
                checkpoints.Remove(read.Key);
                unsaved.Remove(read.Key);
                outcomes[read.Key] = failed ? PartitionOutcome.Failed : PartitionOutcome.MoreRemain;
                continue;
            }

            var reached = failed ? failedSeq - 1 : read.Last().Seq;
            if (reached > checkpoints[read.Key])
            {
                checkpoints[read.Key] = reached;
                unsaved[read.Key] = reached;
            }

            outcomes[read.Key] = failed ? PartitionOutcome.Failed
                : read.Count() == settings.ReadBatch ? PartitionOutcome.MoreRemain
                : PartitionOutcome.Drained;
        }

        return outcomes;
    }

    private enum PartitionOutcome
    {
        Drained,
        MoreRemain,
        Failed,
    }
}
