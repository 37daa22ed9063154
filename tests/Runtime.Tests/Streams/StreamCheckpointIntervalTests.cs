using Governance.Runtime.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Governance.Runtime.Tests.Streams;

/// <summary>
/// Checkpoints are saved at most once per interval, after the subscribers made their events
/// durable, and when the silo stops: never ahead of what the subscribers applied.
/// </summary>
[Trait("Category", "Unit")]
public sealed class StreamCheckpointIntervalTests
{
    private const string Consumer = "stream-probe";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    /// <summary>Never due by time within a test: only stopping saves.</summary>
    private static readonly TimeSpan Never = TimeSpan.FromHours(1);

    [Fact]
    public async Task Once_the_events_are_applied_the_checkpoint_follows_within_the_interval_with_no_further_events()
    {
        await using var probe = await ProbeAsync(TimeSpan.FromMilliseconds(300));
        var key = probe.NewKey("quiet");
        StreamPosition last = default!;
        for (var i = 1; i <= 3; i++)
        {
            last = await probe.AppendAsync(key, i);
        }

        await probe.CheckpointReachesAsync(key, last.Seq);

        Assert.Equal(3, (await probe.Grain(key).GetState()).Seqs.Count);
        Assert.True(StreamProbeGrain.CheckpointCallsByKey.GetValueOrDefault(key) >= 1, "the subscriber should have been asked to make its events durable");
    }

    [Fact]
    public async Task During_a_backlog_the_checkpoint_waits_and_a_stopping_pump_saves_what_was_applied()
    {
        // One event per partition and round, so the backlog keeps the pump busy round after round.
        await using var probe = await ProbeAsync(Never, readBatch: 1);
        var key = probe.NewKey("backlog");
        StreamProbeGrain.DelayByKey[key] = TimeSpan.FromMilliseconds(100);
        for (var i = 1; i <= 30; i++)
        {
            await probe.AppendAsync(key, i);
        }

        await Eventually.HoldsAsync(
            async () => (await probe.Grain(key).GetState()).Seqs.Count >= 2,
            Patience,
            () => $"stream-probe/{key} to have applied two events");
        Assert.Equal(0, await probe.CheckpointAsync(key));

        await probe.Host.StopAsync();
        var applied = (await probe.Grain(key).GetState()).Seqs;
        var saved = await probe.CheckpointAsync(key);
        Assert.True(applied.Count < 30, "the backlog should have outlasted the test");
        Assert.InRange(saved, applied[1], applied[^1]);
    }

    [Fact]
    public async Task While_events_keep_coming_the_checkpoint_waits_for_the_interval()
    {
        await using var probe = await ProbeAsync(Never);
        var key = probe.NewKey("busy");

        // Each delivery takes longer than the gap between appends, so the pump always has news.
        StreamProbeGrain.DelayByKey[key] = TimeSpan.FromMilliseconds(100);
        var appended = 0;
        StreamPosition last = default!;
        while ((await probe.Grain(key).GetState()).Seqs.Count < 3)
        {
            last = await probe.AppendAsync(key, ++appended);
            Assert.Equal(0, await probe.CheckpointAsync(key));
            await Task.Delay(20);
            Assert.True(appended < 400, "the appended events should have been applied");
        }

        await Eventually.HoldsAsync(
            async () => (await probe.Grain(key).GetState()).Seqs.Count == appended,
            Patience,
            () => $"stream-probe/{key} to have applied all {appended} events");
        Assert.Equal(0, await probe.CheckpointAsync(key));

        await probe.Host.StopAsync();
        Assert.Equal(last.Seq, await probe.CheckpointAsync(key));
    }

    [Fact]
    public async Task A_key_that_cannot_make_its_events_durable_gets_them_again_and_the_checkpoint_waits_for_it()
    {
        await using var probe = await ProbeAsync(TimeSpan.FromMilliseconds(200));
        var key = probe.NewKey("refusing");
        StreamProbeGrain.CheckpointRefusalsByKey[key] = 1;
        await probe.AppendAsync(key, 1);
        var last = await probe.AppendAsync(key, 2);

        await probe.CheckpointReachesAsync(key, last.Seq);

        Assert.Equal(2, StreamProbeGrain.CheckpointCallsByKey[key]);

        // 1, 2, then both again; or 1 alone (refused before 2 was appended), then 1 and 2.
        Assert.InRange(StreamProbeGrain.DeliveriesByKey[key], 3, 4);
        Assert.Equal(2, (await probe.Grain(key).GetState()).Seqs.Count);
    }

    [Fact]
    public async Task A_key_whose_failed_write_dropped_events_kept_unsaved_gets_every_event_since_the_saved_checkpoint_again()
    {
        await using var probe = await ProbeAsync(Never, retryDelay: TimeSpan.FromMilliseconds(20));
        var key = probe.NewKey("reloaded");
        var neighbour = StreamKeys.InPartitionOf(key, "reloaded-neighbour");
        StreamProbeGrain.WriteBehindKeys[key] = true;
        var first = await probe.AppendAsync(key, 1);
        var second = await probe.AppendAsync(key, 2);
        await Eventually.HoldsAsync(
            async () => (await probe.Grain(key).GetState()).Seqs.Count == 2,
            Patience,
            () => $"stream-probe/{key} to have applied #1 and #2 (unsaved)");

        // The write of #3 fails: the runtime reloads the grain, whose stored state has neither #1 nor #2.
        StreamProbeGrain.StorageFailuresByPayload[$"{key}#3"] = 1;
        var third = await probe.AppendAsync(key, 3);
        var neighbourEvent = await probe.AppendAsync(neighbour, 1);
        var fourth = await probe.AppendAsync(key, 4);

        await Eventually.HoldsAsync(
            async () => (await probe.Grain(key).GetState()).Seqs.Count >= 4 && (await probe.Grain(neighbour).GetState()).Seqs.Count >= 1,
            Patience,
            () => $"stream-probe/{key} to have applied four events and {neighbour} one");
        Assert.Equal([first.Seq, second.Seq, third.Seq, fourth.Seq], (await probe.Grain(key).GetState()).Seqs);
        Assert.Equal([neighbourEvent.Seq], (await probe.Grain(neighbour).GetState()).Seqs);
        Assert.Equal(0, StreamProbeGrain.StorageFailuresByPayload[$"{key}#3"]);
        Assert.Equal(0, await probe.CheckpointAsync(key));

        await probe.Host.StopAsync();
        Assert.Equal(fourth.Seq, await probe.CheckpointAsync(key));
    }

    private static async Task<Probe> ProbeAsync(TimeSpan checkpointInterval, int readBatch = 128, TimeSpan? retryDelay = null)
    {
        var streamNamespace = $"interval-{Guid.NewGuid():N}";
        var host = await StreamProbeHost.StartAsync(streamNamespace, options =>
        {
            options.CheckpointInterval = checkpointInterval;
            options.ReadBatch = readBatch;
            options.RetryDelay = retryDelay ?? options.RetryDelay;
        });
        return new Probe(host, streamNamespace);
    }

    private sealed class Probe(IHost host, string streamNamespace) : IAsyncDisposable
    {
        public IHost Host => host;

        public string NewKey(string name) => $"{name}-{Guid.NewGuid():N}";

        public IStreamProbeGrain Grain(string key) => host.Services.GetRequiredService<IGrainFactory>().GetGrain<IStreamProbeGrain>(key);

        public Task<StreamPosition> AppendAsync(string key, int number) =>
            host.Services.GetRequiredService<IStreamProducer>().AppendAsync(streamNamespace, key, $"{key}#{number}", CancellationToken.None);

        public async Task<long> CheckpointAsync(string key)
        {
            var partition = Partitioning.PartitionOf(key);
            var saved = await host.Services.GetRequiredService<IStreamStore>().GetCheckpointsAsync(Consumer, streamNamespace, [partition], CancellationToken.None);
            return saved.GetValueOrDefault(partition);
        }

        public async Task CheckpointReachesAsync(string key, long seq)
        {
            var checkpoint = 0L;
            await Eventually.HoldsAsync(
                async () => (checkpoint = await CheckpointAsync(key)) == seq,
                Patience,
                () => $"the checkpoint of {key}'s partition to reach {seq} (it is {checkpoint})");
        }

        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
