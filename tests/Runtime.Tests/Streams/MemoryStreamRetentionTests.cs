using Governance.Runtime.Memory;
using Governance.Runtime.Streams;
using Microsoft.Extensions.DependencyInjection;

namespace Governance.Runtime.Tests.Streams;

/// <summary>
/// Issue 9, row 5 (memory storage): the memory stream keeps only what some consumer has not
/// checkpointed, reads by seq without walking the dropped events, and keeps numbering after a drop.
/// </summary>
[Trait("Category", "Unit")]
public sealed class MemoryStreamRetentionTests
{
    private const string Consumer = "stream-probe";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Row5_memory_stream_drops_events_every_consumer_checkpointed()
    {
        var streamNamespace = $"retained-{Guid.NewGuid():N}";
        using var host = await StreamProbeHost.StartAsync(streamNamespace, options =>
        {
            options.CheckpointInterval = TimeSpan.FromMilliseconds(50);
            options.SweepInterval = TimeSpan.FromMilliseconds(250);
        });
        var producer = host.Services.GetRequiredService<IStreamProducer>();
        var store = host.Services.GetRequiredService<IStreamStore>();
        var key = $"big-{Guid.NewGuid():N}";
        var partition = Partitioning.PartitionOf(key);
        var payload = new string('x', 100_000);
        StreamPosition last = default!;
        for (var i = 1; i <= 30; i++)
        {
            last = await producer.AppendAsync(streamNamespace, key, $"{key}#{i}|{payload}", CancellationToken.None);
        }

        await StreamProbeWaits.CheckpointReachesAsync(store, streamNamespace, partition, last.Seq, Patience);

        Assert.Empty(await store.ReadAsync(streamNamespace, [new StreamPosition(partition, 0)], 1000, CancellationToken.None));
        Assert.Empty(await store.GetPendingPartitionsAsync(Consumer, streamNamespace, [partition], CancellationToken.None));

        // Numbering goes on from the head, and the next event flows.
        var next = await producer.AppendAsync(streamNamespace, key, $"{key}#31", CancellationToken.None);
        Assert.Equal(last.Seq + 1, next.Seq);
        var state = await StreamProbeWaits.AppliedAsync(host.Services.GetRequiredService<IGrainFactory>(), key, 31, Patience);
        Assert.Equal(Enumerable.Range(1, 31).Select(i => (long)i), state.Seqs);
        await host.StopAsync();
    }

    [Fact]
    public async Task Row5_memory_stream_keeps_what_a_consumer_without_a_checkpoint_has_not_consumed_and_reads_by_seq_after_a_drop()
    {
        var streamNamespace = $"two-consumers-{Guid.NewGuid():N}";
        var store = new MemoryStreamStore(TimeProvider.System, [new StreamSubscription(streamNamespace, "first"), new StreamSubscription(streamNamespace, "second")]);
        var key = $"k-{Guid.NewGuid():N}";
        var partition = Partitioning.PartitionOf(key);
        await store.AppendAsync([.. Enumerable.Range(1, 5).Select(i => new StreamAppend(streamNamespace, key, $"#{i}"))], CancellationToken.None);

        // "second" has consumed nothing yet: everything stays, whatever "first" checkpointed.
        await store.SaveCheckpointsAsync("first", streamNamespace, [new StreamPosition(partition, 5)], CancellationToken.None);
        Assert.Equal(5, (await ReadAllAsync(store, streamNamespace, partition)).Count);
        Assert.Equal(0, await store.DeleteCheckpointedAsync(streamNamespace, [], [partition], DateTimeOffset.MaxValue, 100, CancellationToken.None));

        // Both checkpointed up to 3: 1..3 go, 4 and 5 stay, reads by seq still start where asked.
        await store.SaveCheckpointsAsync("second", streamNamespace, [new StreamPosition(partition, 3)], CancellationToken.None);
        Assert.Equal([4L, 5L], (await ReadAllAsync(store, streamNamespace, partition)).Select(e => e.Seq));
        Assert.Equal([5L], (await store.ReadAsync(streamNamespace, [new StreamPosition(partition, 4)], 10, CancellationToken.None)).Select(e => e.Seq));
        Assert.Equal([4L], (await store.ReadAsync(streamNamespace, [new StreamPosition(partition, 3)], 1, CancellationToken.None)).Select(e => e.Seq));
        Assert.Equal([partition], await store.GetPendingPartitionsAsync("second", streamNamespace, [partition], CancellationToken.None));
        Assert.Empty(await store.GetPendingPartitionsAsync("first", streamNamespace, [partition], CancellationToken.None));

        // Everything checkpointed by both is gone; numbering goes on from the head.
        await store.SaveCheckpointsAsync("second", streamNamespace, [new StreamPosition(partition, 5)], CancellationToken.None);
        Assert.Empty(await ReadAllAsync(store, streamNamespace, partition));
        var appended = await store.AppendAsync([new StreamAppend(streamNamespace, key, "#6")], CancellationToken.None);
        Assert.Equal(6, appended[0].Seq);
        Assert.Equal([6L], (await ReadAllAsync(store, streamNamespace, partition)).Select(e => e.Seq));
        Assert.Equal([partition], await store.GetPendingPartitionsAsync("first", streamNamespace, [partition], CancellationToken.None));
    }

    private static Task<IReadOnlyList<StreamEvent>> ReadAllAsync(IStreamStore store, string streamNamespace, int partition) =>
        store.ReadAsync(streamNamespace, [new StreamPosition(partition, 0)], 1000, CancellationToken.None);
}
