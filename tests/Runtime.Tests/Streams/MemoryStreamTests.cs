using Governance.Runtime.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Governance.Runtime.Tests.Streams;

/// <summary>
/// Streams on the memory runtime with its hosted services running (the appender and the pump):
/// per-key order, many partitions, redelivery after a failing subscriber, and the checkpoint.
/// </summary>
[Trait("Category", "Unit")]
public sealed class MemoryStreamTests : IAsyncLifetime
{
    private const string Consumer = "stream-probe";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(250);

    private readonly string _namespace = $"probe-{Guid.NewGuid():N}";
    private IHost _host = null!;

    private IStreamProducer Producer => _host.Services.GetRequiredService<IStreamProducer>();

    private IStreamStore Store => _host.Services.GetRequiredService<IStreamStore>();

    private IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync()
    {
        _host = await StreamProbeHost.StartAsync(_namespace, options =>
        {
            options.RetryDelay = TimeSpan.FromMilliseconds(50);
            options.SweepInterval = SweepInterval;

            // The failing events of these tests recover (or keep failing) long before they would be set aside.
            options.MaxDeliveryAttempts = 1000;
        });
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    [Fact]
    public async Task Events_of_one_key_arrive_in_the_order_they_were_appended()
    {
        var key = Key("ordered");
        var payloads = Enumerable.Range(1, 40).Select(i => $"{key}#{i:D2}").ToArray();
        var positions = new List<StreamPosition>();
        foreach (var payload in payloads)
        {
            positions.Add(await Producer.AppendAsync(_namespace, key, payload, CancellationToken.None));
        }

        var state = await AppliedAsync(key, payloads.Length);

        Assert.Equal(payloads, state.Payloads);
        Assert.Equal(positions.Select(p => p.Seq), state.Seqs);
        Assert.Equal(Enumerable.Range(1, payloads.Length).Select(i => (long)i), state.Seqs);
        Assert.All(positions, p => Assert.Equal(Partitioning.PartitionOf(key), p.Partition));
    }

    [Fact]
    public async Task Concurrent_appends_of_one_key_are_applied_in_seq_order()
    {
        var key = Key("concurrent");
        var payloads = Enumerable.Range(1, 60).Select(i => $"{key}#{i:D2}").ToArray();

        var positions = await Task.WhenAll(payloads.Select(p => Producer.AppendAsync(_namespace, key, p, CancellationToken.None)));

        var state = await AppliedAsync(key, payloads.Length);
        Assert.Equal(positions.Select(p => p.Seq).Order(), state.Seqs);
        var payloadBySeq = positions.Zip(payloads).ToDictionary(p => p.First.Seq, p => p.Second);
        Assert.Equal(state.Seqs.Select(seq => payloadBySeq[seq]), state.Payloads);
    }

    [Fact]
    public async Task Events_that_queue_up_while_a_key_is_busy_arrive_together_in_one_call()
    {
        var key = Key("busy");
        StreamProbeGrain.DelayByKey[key] = TimeSpan.FromSeconds(1);
        await Producer.AppendAsync(_namespace, key, $"{key}#01", CancellationToken.None);
        await Eventually.HoldsAsync(
            () => Task.FromResult(StreamProbeGrain.CallsByKey.GetValueOrDefault(key) == 1),
            Patience,
            () => $"stream-probe/{key} to be working on its first event");

        // While the first event takes its second, nine more queue up: the next round hands them over at once.
        var payloads = Enumerable.Range(2, 9).Select(i => $"{key}#{i:D2}").ToArray();
        foreach (var payload in payloads)
        {
            await Producer.AppendAsync(_namespace, key, payload, CancellationToken.None);
        }

        StreamProbeGrain.DelayByKey.TryRemove(key, out _);

        var state = await AppliedAsync(key, 10);
        Assert.Equal([$"{key}#01", .. payloads], state.Payloads);
        Assert.Equal(2, StreamProbeGrain.CallsByKey[key]);
    }

    [Fact]
    public async Task Events_of_many_keys_across_partitions_all_arrive()
    {
        var keys = Enumerable.Range(1, 200).Select(i => Key($"many-{i:D3}")).ToArray();
        const int perKey = 3;

        await Task.WhenAll(keys.Select(async key =>
        {
            for (var i = 1; i <= perKey; i++)
            {
                await Producer.AppendAsync(_namespace, key, $"{key}#{i}", CancellationToken.None);
            }
        }));

        Assert.True(keys.Select(Partitioning.PartitionOf).Distinct().Count() > 150, "the keys should spread over many partitions");
        foreach (var key in keys)
        {
            var state = await AppliedAsync(key, perKey);
            Assert.Equal(Enumerable.Range(1, perKey).Select(i => $"{key}#{i}"), state.Payloads);
            Assert.Equal(state.Seqs.Order(), state.Seqs);
        }
    }

    [Fact]
    public async Task An_event_whose_subscriber_throws_is_redelivered_before_the_later_events_of_its_key()
    {
        var key = Key("flaky");
        var neighbour = StreamKeys.InPartitionOf(key, "flaky-neighbour");
        StreamProbeGrain.FailuresByPayload[$"{key}#2"] = 2;

        foreach (var (streamKey, payload) in new[] { (key, "1"), (key, "2"), (neighbour, "1"), (key, "3"), (neighbour, "2"), (key, "4") })
        {
            await Producer.AppendAsync(_namespace, streamKey, $"{streamKey}#{payload}", CancellationToken.None);
        }

        var state = await AppliedAsync(key, 4);
        var neighbourState = await AppliedAsync(neighbour, 2);
        Assert.Equal([$"{key}#1", $"{key}#2", $"{key}#3", $"{key}#4"], state.Payloads);
        Assert.Equal([$"{neighbour}#1", $"{neighbour}#2"], neighbourState.Payloads);
        Assert.Equal(0, StreamProbeGrain.FailuresByPayload[$"{key}#2"]);
        Assert.True(StreamProbeGrain.DeliveriesByKey[key] >= 6, $"stream-probe/{key} should have had #2 delivered three times");
    }

    [Fact]
    public async Task The_checkpoint_advances_past_applied_events_and_stops_before_a_failing_one()
    {
        var key = Key("checkpointed");
        var partition = Partitioning.PartitionOf(key);
        var first = await Producer.AppendAsync(_namespace, key, $"{key}#1", CancellationToken.None);
        var second = await Producer.AppendAsync(_namespace, key, $"{key}#2", CancellationToken.None);

        await CheckpointReachesAsync(partition, second.Seq);

        StreamProbeGrain.FailuresByPayload[$"{key}#3"] = int.MaxValue;
        var failing = await Producer.AppendAsync(_namespace, key, $"{key}#3", CancellationToken.None);
        var after = await Producer.AppendAsync(_namespace, key, $"{key}#4", CancellationToken.None);
        await Eventually.HoldsAsync(
            () => Task.FromResult(StreamProbeGrain.DeliveriesByKey.GetValueOrDefault(key) >= 5),
            Patience,
            () => $"stream-probe/{key} to have been handed #3 at least three times");

        Assert.Equal(failing.Seq - 1, (await Store.GetCheckpointsAsync(Consumer, _namespace, [partition], CancellationToken.None)).GetValueOrDefault(partition));
        Assert.Equal([first.Seq, second.Seq], (await Grains.GetGrain<IStreamProbeGrain>(key).GetState()).Seqs);

        StreamProbeGrain.FailuresByPayload[$"{key}#3"] = 0;
        await CheckpointReachesAsync(partition, after.Seq);
        Assert.Equal([first.Seq, second.Seq, failing.Seq, after.Seq], (await AppliedAsync(key, 4)).Seqs);
        Assert.Empty(await Store.GetPendingPartitionsAsync(Consumer, _namespace, [partition], CancellationToken.None));
    }

    [Fact]
    public async Task An_event_no_notification_announced_is_found_by_the_sweep()
    {
        var key = Key("unannounced");

        // Straight into the store, as a missed notification would leave it: only the sweep can find it.
        var position = (await Store.AppendAsync([new StreamAppend(_namespace, key, $"{key}#1")], CancellationToken.None))[0];

        var state = await AppliedAsync(key, 1, within: SweepInterval * 20);
        Assert.Equal([position.Seq], state.Seqs);
    }

    [Fact]
    public async Task The_sweep_still_finds_unannounced_events_while_another_partition_keeps_failing()
    {
        var poisoned = Key("poisoned");
        var key = StreamKeys.OutsidePartitionOf(poisoned, "unannounced");
        StreamProbeGrain.FailuresByPayload[$"{poisoned}#1"] = int.MaxValue;
        await Producer.AppendAsync(_namespace, poisoned, $"{poisoned}#1", CancellationToken.None);
        await Eventually.HoldsAsync(
            () => Task.FromResult(StreamProbeGrain.DeliveriesByKey.GetValueOrDefault(poisoned) >= 2),
            Patience,
            () => $"stream-probe/{poisoned} to have failed on its event at least twice");

        var position = (await Store.AppendAsync([new StreamAppend(_namespace, key, $"{key}#1")], CancellationToken.None))[0];

        try
        {
            var state = await AppliedAsync(key, 1, within: SweepInterval * 20);
            Assert.Equal([position.Seq], state.Seqs);
        }
        finally
        {
            StreamProbeGrain.FailuresByPayload[$"{poisoned}#1"] = 0;
        }
    }

    private Task<StreamProbeState> AppliedAsync(string key, int count, TimeSpan? within = null) =>
        StreamProbeWaits.AppliedAsync(Grains, key, count, within ?? Patience);

    private Task CheckpointReachesAsync(int partition, long seq) =>
        StreamProbeWaits.CheckpointReachesAsync(Store, _namespace, partition, seq, Patience);

    private static string Key(string name) => $"{name}-{Guid.NewGuid():N}";
}
