using Governance.Runtime.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Governance.Runtime.Tests.Streams;

/// <summary>
/// Checkpoints are saved once per interval while a backlog lasts, always when the pump runs out of
/// work, and when the silo stops: never ahead of what the subscriber applied.
/// </summary>
[Trait("Category", "Unit")]
public sealed class StreamCheckpointIntervalTests : IAsyncLifetime
{
    private const string Consumer = "stream-probe";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly string _namespace = $"interval-{Guid.NewGuid():N}";
    private IHost _host = null!;

    private IStreamProducer Producer => _host.Services.GetRequiredService<IStreamProducer>();

    private IStreamStore Store => _host.Services.GetRequiredService<IStreamStore>();

    private IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync()
    {
        _host = await StreamProbeHost.StartAsync(_namespace, options =>
        {
            // Never due by time within a test: only running out of work or stopping saves.
            options.CheckpointInterval = TimeSpan.FromHours(1);

            // One event per partition and round, so a backlog keeps the pump busy round after round.
            options.ReadBatch = 1;
        });
    }

    public Task DisposeAsync()
    {
        _host.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task When_the_pump_runs_out_of_work_it_saves_the_checkpoint_without_waiting_for_the_interval()
    {
        var key = $"idle-{Guid.NewGuid():N}";
        var partition = Partitioning.PartitionOf(key);
        StreamPosition last = default!;
        for (var i = 1; i <= 3; i++)
        {
            last = await Producer.AppendAsync(_namespace, key, $"{key}#{i}", CancellationToken.None);
        }

        var checkpoint = 0L;
        await Eventually.HoldsAsync(
            async () => (checkpoint = await CheckpointAsync(partition)) == last.Seq,
            Patience,
            () => $"the checkpoint of {_namespace}/{partition} to reach {last.Seq} (it is {checkpoint})");
        Assert.Equal(3, (await Grains.GetGrain<IStreamProbeGrain>(key).GetState()).Seqs.Count);
        await _host.StopAsync();
    }

    [Fact]
    public async Task During_a_backlog_the_checkpoint_waits_and_a_stopping_pump_saves_what_was_applied()
    {
        var key = $"backlog-{Guid.NewGuid():N}";
        var partition = Partitioning.PartitionOf(key);
        StreamProbeGrain.DelayByKey[key] = TimeSpan.FromMilliseconds(100);
        for (var i = 1; i <= 30; i++)
        {
            await Producer.AppendAsync(_namespace, key, $"{key}#{i}", CancellationToken.None);
        }

        var grain = Grains.GetGrain<IStreamProbeGrain>(key);
        await Eventually.HoldsAsync(
            async () => (await grain.GetState()).Seqs.Count >= 2,
            Patience,
            () => $"stream-probe/{key} to have applied two events");
        Assert.Equal(0, await CheckpointAsync(partition));

        await _host.StopAsync();
        var applied = (await grain.GetState()).Seqs;
        var saved = await CheckpointAsync(partition);
        Assert.True(applied.Count < 30, "the backlog should have outlasted the test");
        Assert.InRange(saved, applied[1], applied[^1]);
    }

    [Fact]
    public async Task While_notifications_keep_coming_the_checkpoint_waits_and_it_is_saved_once_they_stop()
    {
        // Whole rounds this time: each round takes every event there is, and new ones are announced.
        var streamNamespace = $"notified-{Guid.NewGuid():N}";
        using var host = await StreamProbeHost.StartAsync(streamNamespace, options => options.CheckpointInterval = TimeSpan.FromHours(1));
        var producer = host.Services.GetRequiredService<IStreamProducer>();
        var store = host.Services.GetRequiredService<IStreamStore>();
        var key = $"notified-{Guid.NewGuid():N}";
        var partition = Partitioning.PartitionOf(key);
        var grain = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IStreamProbeGrain>(key);
        async Task<long> CheckpointAsync() =>
            (await store.GetCheckpointsAsync(Consumer, streamNamespace, [partition], CancellationToken.None)).GetValueOrDefault(partition);

        // Each delivery takes longer than the gap between appends: a notification is always waiting
        // when a round ends, so the pump never runs out of work while the appends go on.
        StreamProbeGrain.DelayByKey[key] = TimeSpan.FromMilliseconds(100);
        var appended = 0;
        StreamPosition last = default!;
        while ((await grain.GetState()).Seqs.Count < 3)
        {
            last = await producer.AppendAsync(streamNamespace, key, $"{key}#{++appended}", CancellationToken.None);
            Assert.Equal(0, await CheckpointAsync());
            await Task.Delay(20);
            Assert.True(appended < 400, "the appended events should have been applied");
        }

        var checkpoint = 0L;
        await Eventually.HoldsAsync(
            async () => (checkpoint = await CheckpointAsync()) == last.Seq,
            Patience,
            () => $"the checkpoint of {streamNamespace}/{partition} to reach {last.Seq} once the appends stopped (it is {checkpoint})");
        await host.StopAsync();
        await _host.StopAsync();
    }

    private async Task<long> CheckpointAsync(int partition) =>
        (await Store.GetCheckpointsAsync(Consumer, _namespace, [partition], CancellationToken.None)).GetValueOrDefault(partition);
}
