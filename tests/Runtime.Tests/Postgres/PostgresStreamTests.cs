using System.Collections.Concurrent;
using System.Text.Json;
using Governance.Runtime.Hosting;
using Governance.Runtime.Postgres;
using Governance.Runtime.Streams;
using Governance.Runtime.Tests.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Governance.Runtime.Tests.Postgres;

/// <summary>
/// Streams on PostgreSQL (DESIGN §4): committed, gap-free and ordered appends per partition under
/// concurrency, LISTEN/NOTIFY waking the pump, and a silo restart in the middle of a stream.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresStreamTests(PostgresFixture fixture)
{
    private const string Consumer = "stream-probe";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Appends_are_committed_and_numbered_in_order_per_partition()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var store = new PostgresStreamStore(dataSource);
        var streamNamespace = Namespace();
        var a = $"a-{Guid.NewGuid():N}";
        var b = StreamKeys.OutsidePartitionOf(a, "b");
        var c = StreamKeys.InPartitionOf(a, "c");
        var (pa, pb) = (Partitioning.PartitionOf(a), Partitioning.PartitionOf(b));

        var firstBatch = await store.AppendAsync(
            [Append(streamNamespace, a, "a1"), Append(streamNamespace, b, "b1"), Append(streamNamespace, a, "a2"), Append(streamNamespace, c, "c1"), Append(streamNamespace, b, "b2")],
            CancellationToken.None);
        var secondBatch = await store.AppendAsync([Append(streamNamespace, c, "c2"), Append(streamNamespace, a, "a3")], CancellationToken.None);

        Assert.Equal(
            [new StreamPosition(pa, 1), new StreamPosition(pb, 1), new StreamPosition(pa, 2), new StreamPosition(pa, 3), new StreamPosition(pb, 2)],
            firstBatch);
        Assert.Equal([new StreamPosition(pa, 4), new StreamPosition(pa, 5)], secondBatch);

        // Read through another data source (other connections): what was acknowledged is committed.
        await using var reader = NpgsqlDataSource.Create(dataSource.ConnectionString);
        var readStore = new PostgresStreamStore(reader);
        var partitionA = await readStore.ReadAsync(streamNamespace, [new StreamPosition(pa, 0)], 100, CancellationToken.None);
        var partitionB = await readStore.ReadAsync(streamNamespace, [new StreamPosition(pb, 0)], 100, CancellationToken.None);
        Assert.Equal([(a, 1L, "a1"), (a, 2L, "a2"), (c, 3L, "c1"), (c, 4L, "c2"), (a, 5L, "a3")], partitionA.Select(e => (e.Key, e.Seq, e.Payload)));
        Assert.Equal([(b, 1L, "b1"), (b, 2L, "b2")], partitionB.Select(e => (e.Key, e.Seq, e.Payload)));
        Assert.All(partitionA.Concat(partitionB), e => Assert.Equal(streamNamespace, e.Namespace));
        Assert.Equal([4L, 5L], (await readStore.ReadAsync(streamNamespace, [new StreamPosition(pa, 3)], 100, CancellationToken.None)).Select(e => e.Seq));
        Assert.Equal([1L, 2L], (await readStore.ReadAsync(streamNamespace, [new StreamPosition(pa, 0)], 2, CancellationToken.None)).Select(e => e.Seq));

        // Several partitions in one read: each from its own position, each limited on its own, by partition then seq.
        var both = await readStore.ReadAsync(streamNamespace, [new StreamPosition(pb, 1), new StreamPosition(pa, 2)], 2, CancellationToken.None);
        Assert.Equal(
            new[] { (pa, 3L, "c1"), (pa, 4L, "c2"), (pb, 2L, "b2") }.OrderBy(e => e.Item1),
            both.Select(e => (e.Partition, e.Seq, e.Payload)));
    }

    [Fact]
    public async Task Checkpoints_mark_pending_partitions_and_never_move_back()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var store = new PostgresStreamStore(dataSource);
        var streamNamespace = Namespace();
        var a = $"a-{Guid.NewGuid():N}";
        var b = StreamKeys.OutsidePartitionOf(a, "b");
        var (pa, pb) = (Partitioning.PartitionOf(a), Partitioning.PartitionOf(b));
        await store.AppendAsync([Append(streamNamespace, a, "a1"), Append(streamNamespace, a, "a2"), Append(streamNamespace, b, "b1")], CancellationToken.None);

        var before = await store.GetPendingPartitionsAsync(Consumer, streamNamespace, [pa, pb], CancellationToken.None);
        await store.SaveCheckpointsAsync(Consumer, streamNamespace, [new StreamPosition(pa, 2)], CancellationToken.None);
        await store.SaveCheckpointsAsync(Consumer, streamNamespace, [new StreamPosition(pa, 1)], CancellationToken.None);
        var after = await store.GetPendingPartitionsAsync(Consumer, streamNamespace, [pa, pb], CancellationToken.None);

        Assert.Equal(new[] { pa, pb }.Order(), before.Order());
        Assert.Equal([pb], after);
        Assert.Equal(2, (await store.GetCheckpointsAsync(Consumer, streamNamespace, [pa], CancellationToken.None)).GetValueOrDefault(pa));
        Assert.False((await store.GetCheckpointsAsync(Consumer, streamNamespace, [pa, pb], CancellationToken.None)).ContainsKey(pb));
        Assert.Equal(new[] { pa, pb }.Order(), (await store.GetPendingPartitionsAsync("another-consumer", streamNamespace, [pa, pb], CancellationToken.None)).Order());
        var elsewhere = Enumerable.Range(0, 3).First(p => p != pa && p != pb);
        Assert.Empty(await store.GetPendingPartitionsAsync(Consumer, streamNamespace, [elsewhere], CancellationToken.None));

        // Several partitions in one statement, each only forward.
        await store.SaveCheckpointsAsync(Consumer, streamNamespace, [new StreamPosition(pa, 1), new StreamPosition(pb, 1)], CancellationToken.None);
        var saved = await store.GetCheckpointsAsync(Consumer, streamNamespace, [pa, pb], CancellationToken.None);
        Assert.Equal(new Dictionary<int, long> { [pa] = 2, [pb] = 1 }, saved);
    }

    [Fact]
    public async Task Concurrent_appends_get_unique_gap_free_seqs_per_partition()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var store = new PostgresStreamStore(dataSource);
        var streamNamespace = Namespace();
        var first = $"k0-{Guid.NewGuid():N}";
        string[] keys = [first, StreamKeys.InPartitionOf(first, "k1"), StreamKeys.OutsidePartitionOf(first, "k2"), $"k3-{Guid.NewGuid():N}", $"k4-{Guid.NewGuid():N}"];
        const int writers = 16;
        const int appendsPerWriter = 25;
        var acknowledged = new ConcurrentBag<(string Payload, StreamPosition Position)>();

        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < appendsPerWriter; i++)
            {
                // Mostly single appends, every fifth a batch over all keys: batches and singles interleave.
                var batch = i % 5 == 4
                    ? keys.Select(k => Append(streamNamespace, k, $"{k}|w{writer}|{i}")).ToList()
                    : [Append(streamNamespace, keys[(writer + i) % keys.Length], $"{keys[(writer + i) % keys.Length]}|w{writer}|{i}")];
                var positions = await store.AppendAsync(batch, CancellationToken.None);
                foreach (var (append, position) in batch.Zip(positions))
                {
                    acknowledged.Add((append.Payload, position));
                }
            }
        })));

        Assert.Equal(acknowledged.Count, acknowledged.Select(a => a.Position).Distinct().Count());
        foreach (var partition in keys.Select(Partitioning.PartitionOf).Distinct())
        {
            var events = await store.ReadAsync(streamNamespace, [new StreamPosition(partition, 0)], 10_000, CancellationToken.None);
            var expected = acknowledged.Where(a => a.Position.Partition == partition).ToList();
            Assert.Equal(Enumerable.Range(1, expected.Count).Select(i => (long)i), events.Select(e => e.Seq));
            Assert.Equal(
                expected.OrderBy(a => a.Position.Seq).Select(a => (a.Position.Seq, a.Payload)),
                events.Select(e => (e.Seq, e.Payload)));
            Assert.All(events, e => Assert.StartsWith(e.Key + "|", e.Payload, StringComparison.Ordinal));

            // One writer's appends to one key follow each other, so their seqs increase.
            foreach (var sequence in events.GroupBy(e => e.Payload.Split('|')[0] + "|" + e.Payload.Split('|')[1]))
            {
                var order = sequence.Select(e => int.Parse(e.Payload.Split('|')[2], System.Globalization.CultureInfo.InvariantCulture)).ToList();
                Assert.Equal(order.Order(), order);
            }
        }
    }

    [Fact]
    public async Task A_notification_wakes_the_pump_long_before_its_sweep()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var streamNamespace = Namespace();
        var applicationName = $"stream-notify-{Guid.NewGuid():N}"[..40];
        var key = $"notified-{Guid.NewGuid():N}";
        var other = StreamKeys.OutsidePartitionOf(key, "notified-too");
        using var host = await StartSiloAsync(dataSource, streamNamespace, applicationName, sweepInterval: TimeSpan.FromSeconds(30));
        await ListenerIsListeningAsync(applicationName);

        // Appended by another writer (as another silo would), so this silo's appender cannot wake its pump:
        // only the notification can, since the next sweep is 30 seconds away. One batch over two
        // partitions: one notification names both.
        var positions = await new PostgresStreamStore(dataSource).AppendAsync(
            [Append(streamNamespace, key, "ping"), Append(streamNamespace, other, "pong")], CancellationToken.None);
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        foreach (var (probeKey, position) in new[] { (key, positions[0]), (other, positions[1]) })
        {
            var grain = grains.GetGrain<IStreamProbeGrain>(probeKey);
            await Eventually.HoldsAsync(
                async () => (await grain.GetState()).Seqs.Count == 1,
                TimeSpan.FromSeconds(2),
                () => $"stream-probe/{probeKey} to have applied seq {position.Seq} of {streamNamespace} within 2 s of the append (sweep interval 30 s)");
            Assert.Equal([position.Seq], (await grain.GetState()).Seqs);
        }

        await host.StopAsync();
    }

    [Fact]
    public async Task A_stream_survives_a_silo_restart_mid_stream_with_every_event_applied_exactly_once()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var streamNamespace = Namespace();
        var key = $"restart-{Guid.NewGuid():N}";
        const int count = 30;
        StreamProbeGrain.DelayByKey[key] = TimeSpan.FromMilliseconds(100);
        var payloads = Enumerable.Range(1, count).Select(i => $"{key}#{i:D2}").ToArray();

        // One transaction before the silo starts: the pump hands all of them to the grain in one
        // delivery, the stop interrupts it between events, so the checkpoint is never saved and the
        // next silo redelivers from the start.
        var positions = await new PostgresStreamStore(dataSource).AppendAsync(
            [.. payloads.Select(p => Append(streamNamespace, key, p))], CancellationToken.None);

        using (var first = await StartSiloAsync(dataSource, streamNamespace, applicationName: null, sweepInterval: TimeSpan.FromSeconds(5)))
        {
            StreamProbeState? seen = null;
            await Eventually.HoldsAsync(
                async () => ((seen = await ReadStateAsync(dataSource, key))?.Seqs.Count ?? 0) >= 5,
                Patience,
                () => $"stream-probe/{key} to have applied 5 of {count} events in the first silo (applied {seen?.Seqs.Count ?? 0})");
            await first.StopAsync();
        }

        var appliedByFirst = (await ReadStateAsync(dataSource, key))!.Seqs.Count;
        var deliveriesByFirst = StreamProbeGrain.DeliveriesByKey[key];
        Assert.InRange(appliedByFirst, 5, count - 1);

        using var second = await StartSiloAsync(dataSource, streamNamespace, applicationName: null, sweepInterval: TimeSpan.FromSeconds(5));
        StreamProbeState? final = null;
        await Eventually.HoldsAsync(
            async () => ((final = await ReadStateAsync(dataSource, key))?.Seqs.Count ?? 0) >= count,
            Patience,
            () => $"stream-probe/{key} to have applied all {count} events after the restart (applied {final?.Seqs.Count ?? 0})");
        await CheckpointReachesAsync(dataSource, streamNamespace, Partitioning.PartitionOf(key), positions[^1].Seq);
        await second.StopAsync();

        final = await ReadStateAsync(dataSource, key);
        Assert.Equal(positions.Select(p => p.Seq), final!.Seqs);
        Assert.Equal(payloads, final.Payloads);
        Assert.True(
            StreamProbeGrain.DeliveriesByKey[key] - deliveriesByFirst >= count,
            $"the second silo should have redelivered from the last checkpoint (seq 0): {StreamProbeGrain.DeliveriesByKey[key] - deliveriesByFirst} deliveries");
    }

    [Fact]
    public async Task Events_applied_but_kept_unsaved_when_a_silo_dies_are_applied_again_by_the_next_one_exactly_once()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var streamNamespace = Namespace();
        var key = $"write-behind-{Guid.NewGuid():N}";
        const int count = 20;
        StreamProbeGrain.WriteBehindKeys[key] = true;
        var payloads = Enumerable.Range(1, count).Select(i => $"{key}#{i:D2}").ToArray();
        var positions = await new PostgresStreamStore(dataSource).AppendAsync(
            [.. payloads.Select(p => Append(streamNamespace, key, p))], CancellationToken.None);

        // The first silo applies every event in memory but can never make them durable (as if it
        // died before its checkpoint): nothing of them is stored, and the checkpoint stays put.
        StreamProbeGrain.CheckpointRefusalsByKey[key] = int.MaxValue;
        using (var first = await StartSiloAsync(dataSource, streamNamespace, applicationName: null, sweepInterval: TimeSpan.FromSeconds(5)))
        {
            await Eventually.HoldsAsync(
                () => Task.FromResult(StreamProbeGrain.CheckpointCallsByKey.GetValueOrDefault(key) >= 2),
                Patience,
                () => $"stream-probe/{key} to have been asked twice to make its events durable");
            await first.StopAsync();
        }

        Assert.Null(await ReadStateAsync(dataSource, key));
        Assert.Equal(0, (await new PostgresStreamStore(dataSource).GetCheckpointsAsync(
            "stream-probe", streamNamespace, [Partitioning.PartitionOf(key)], CancellationToken.None)).GetValueOrDefault(Partitioning.PartitionOf(key)));

        StreamProbeGrain.CheckpointRefusalsByKey[key] = 0;
        using var second = await StartSiloAsync(dataSource, streamNamespace, applicationName: null, sweepInterval: TimeSpan.FromSeconds(5));
        await CheckpointReachesAsync(dataSource, streamNamespace, Partitioning.PartitionOf(key), positions[^1].Seq);
        await second.StopAsync();

        var final = await ReadStateAsync(dataSource, key);
        Assert.Equal(positions.Select(p => p.Seq), final!.Seqs);
        Assert.Equal(payloads, final.Payloads);
    }

    [Fact]
    public async Task Events_kept_unsaved_that_a_database_outage_drops_mid_stream_are_applied_again_exactly_once()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var streamNamespace = Namespace();
        var key = $"outage-{Guid.NewGuid():N}";
        var producer = new PostgresStreamStore(dataSource);
        StreamProbeGrain.WriteBehindKeys[key] = true;
        var quiet = await producer.AppendAsync([.. Enumerable.Range(1, 5).Select(i => Append(streamNamespace, key, $"{key}#{i}"))], CancellationToken.None);

        await using var proxy = new TcpProxy(new NpgsqlConnectionStringBuilder(fixture.ConnectionString).Host!, new NpgsqlConnectionStringBuilder(fixture.ConnectionString).Port);
        using var silo = await StartSiloAsync(dataSource, streamNamespace, applicationName: null, sweepInterval: TimeSpan.FromSeconds(30), proxyPort: proxy.Port);
        var grain = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IStreamProbeGrain>(key);
        await Eventually.HoldsAsync(
            async () => (await grain.GetState()).Seqs.Count == 5,
            Patience,
            () => $"stream-probe/{key} to have applied #1..#5 (kept unsaved)");

        // #6 is written at once, as a drifted result is; the database goes away while the grain works on it.
        var loud = $"{key}#6";
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        StreamProbeGrain.WriteNowPayloads[loud] = true;
        StreamProbeGrain.GatesByPayload[loud] = gate.Task;
        var sixth = await producer.AppendAsync([Append(streamNamespace, key, loud)], CancellationToken.None);
        await Eventually.HoldsAsync(
            () => Task.FromResult(StreamProbeGrain.DeliveriesByKey.GetValueOrDefault(key) >= 6),
            Patience,
            () => $"stream-probe/{key} to have been handed {loud}");
        proxy.Cut();
        gate.SetResult();
        await Eventually.HoldsAsync(
            () => Task.FromResult(StreamProbeGrain.UnavailableWritesByKey.GetValueOrDefault(key) >= 1),
            Patience,
            () => $"stream-probe/{key} to have failed to write {loud} during the outage");

        // Back before the pump retries (2 s), so its next read succeeds: only the grain saw the outage.
        proxy.Restore();
        Assert.Null(await ReadStateAsync(dataSource, key));

        await Eventually.HoldsAsync(
            async () => (await ReadStateAsync(dataSource, key))?.Seqs.Contains(sixth[0].Seq) == true,
            Patience,
            () => $"stream-probe/{key} to have written {loud} after the outage");
        var seventh = await producer.AppendAsync([Append(streamNamespace, key, $"{key}#7")], CancellationToken.None);
        await Eventually.HoldsAsync(
            async () => (await grain.GetState()).Seqs.Count >= 7,
            Patience,
            () => $"stream-probe/{key} to have applied #7");
        await silo.StopAsync();

        var final = await ReadStateAsync(dataSource, key);
        Assert.Equal([.. quiet.Select(p => p.Seq), sixth[0].Seq, seventh[0].Seq], final!.Seqs);
        Assert.Equal(seventh[0].Seq, (await producer.GetCheckpointsAsync(
            Consumer, streamNamespace, [Partitioning.PartitionOf(key)], CancellationToken.None)).GetValueOrDefault(Partitioning.PartitionOf(key)));
    }

    [Fact]
    public async Task Row1_postgres_a_poison_event_is_set_aside_durably_and_later_events_of_its_partition_flow()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var streamNamespace = Namespace();
        var key = $"poison-{Guid.NewGuid():N}";
        var neighbour = StreamKeys.InPartitionOf(key, "poison-neighbour");
        var partition = Partitioning.PartitionOf(key);
        StreamProbeGrain.FailuresByPayload[$"{key}#2"] = int.MaxValue;
        var positions = await new PostgresStreamStore(dataSource).AppendAsync(
            [Append(streamNamespace, key, $"{key}#1"), Append(streamNamespace, key, $"{key}#2"), Append(streamNamespace, neighbour, $"{neighbour}#1"),
             Append(streamNamespace, key, $"{key}#3"), Append(streamNamespace, neighbour, $"{neighbour}#2")],
            CancellationToken.None);

        using (var silo = await StartSiloAsync(
            dataSource, streamNamespace, applicationName: null, sweepInterval: TimeSpan.FromMilliseconds(250),
            configure: options => (options.MaxDeliveryAttempts, options.CheckpointInterval) = (3, TimeSpan.FromMilliseconds(100))))
        {
            await CheckpointReachesAsync(dataSource, streamNamespace, partition, positions[^1].Seq);
            await silo.StopAsync();
        }

        Assert.Equal([positions[0].Seq, positions[3].Seq], (await ReadStateAsync(dataSource, key))!.Seqs);
        Assert.Equal([positions[2].Seq, positions[4].Seq], (await ReadStateAsync(dataSource, neighbour))!.Seqs);

        // Durable: read through another data source, after the silo is gone.
        await using var reader = NpgsqlDataSource.Create(dataSource.ConnectionString);
        var store = new PostgresStreamStore(reader);
        var setAside = Assert.Single(await store.ListSetAsideAsync(streamNamespace, null, 0, 100, CancellationToken.None));
        Assert.Equal((Consumer, streamNamespace, partition, positions[1].Seq, key, $"{key}#2", 3),
            (setAside.Consumer, setAside.Namespace, setAside.Partition, setAside.Seq, setAside.Key, setAside.Payload, setAside.Attempts));
        Assert.Contains("fails on", setAside.Error, StringComparison.Ordinal);
        Assert.True(setAside.SetAsideAt >= setAside.AppendedAt, $"set aside at {setAside.SetAsideAt}, appended at {setAside.AppendedAt}");
        Assert.Equal([setAside.Id], (await store.ListSetAsideAsync(streamNamespace, key, 0, 100, CancellationToken.None)).Select(s => s.Id));
        Assert.Empty(await store.ListSetAsideAsync(streamNamespace, neighbour, 0, 100, CancellationToken.None));
        Assert.Empty(await store.ListSetAsideAsync(streamNamespace, null, setAside.Id, 100, CancellationToken.None));

        // Setting it aside again (a silo that died before its checkpoint) keeps the one record.
        var again = (await store.ReadAsync(streamNamespace, [new StreamPosition(partition, positions[0].Seq)], 1, CancellationToken.None)).Single();
        await store.SetAsideAsync(Consumer, again, "again", 9, CancellationToken.None);
        Assert.Equal([setAside], await store.ListSetAsideAsync(streamNamespace, null, 0, 100, CancellationToken.None));
    }

    [Fact]
    public async Task Checkpointed_events_are_deleted_only_below_every_consumers_checkpoint_past_the_retention_and_in_bounded_batches()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var store = new PostgresStreamStore(dataSource);
        var streamNamespace = Namespace();
        var a = $"a-{Guid.NewGuid():N}";
        var b = StreamKeys.OutsidePartitionOf(a, "b");
        var (pa, pb) = (Partitioning.PartitionOf(a), Partitioning.PartitionOf(b));
        await store.AppendAsync([.. Enumerable.Range(1, 10).Select(i => Append(streamNamespace, a, $"a{i}")), Append(streamNamespace, b, "b1")], CancellationToken.None);
        var future = DateTimeOffset.UtcNow.AddHours(1);

        // "first" checkpointed everything, "second" nothing yet (no row at all): nothing goes.
        await store.SaveCheckpointsAsync("first", streamNamespace, [new StreamPosition(pa, 10), new StreamPosition(pb, 1)], CancellationToken.None);
        Assert.Equal(0, await store.DeleteCheckpointedAsync(streamNamespace, ["first", "second"], [pa, pb], future, 100, CancellationToken.None));

        // "second" has a row for pa only: pb (no checkpoint of "second") keeps everything.
        await store.SaveCheckpointsAsync("second", streamNamespace, [new StreamPosition(pa, 7)], CancellationToken.None);
        Assert.Equal(0, await store.DeleteCheckpointedAsync(streamNamespace, [], [pa, pb], DateTimeOffset.UtcNow.AddHours(-1), 100, CancellationToken.None));
        Assert.Equal(3, await store.DeleteCheckpointedAsync(streamNamespace, [], [pa, pb], future, 3, CancellationToken.None));
        Assert.Equal(4, await store.DeleteCheckpointedAsync(streamNamespace, [], [pa, pb], future, 100, CancellationToken.None));
        Assert.Equal(0, await store.DeleteCheckpointedAsync(streamNamespace, [], [pa, pb], future, 100, CancellationToken.None));
        Assert.Equal([8L, 9L, 10L], (await store.ReadAsync(streamNamespace, [new StreamPosition(pa, 0)], 100, CancellationToken.None)).Select(e => e.Seq));
        Assert.Single(await store.ReadAsync(streamNamespace, [new StreamPosition(pb, 0)], 100, CancellationToken.None));

        // Heads are untouched: pending partitions and numbering go on.
        Assert.Equal(new[] { pa, pb }.Order(), (await store.GetPendingPartitionsAsync("second", streamNamespace, [pa, pb], CancellationToken.None)).Order());
        Assert.Empty(await store.GetPendingPartitionsAsync("first", streamNamespace, [pa, pb], CancellationToken.None));
        Assert.Equal([new StreamPosition(pa, 11)], await store.AppendAsync([Append(streamNamespace, a, "a11")], CancellationToken.None));
    }

    [Fact]
    public async Task Row5_postgres_a_running_silo_deletes_the_events_its_consumers_checkpointed()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var streamNamespace = Namespace();
        var key = $"retained-{Guid.NewGuid():N}";
        var partition = Partitioning.PartitionOf(key);
        var positions = await new PostgresStreamStore(dataSource).AppendAsync(
            [.. Enumerable.Range(1, 20).Select(i => Append(streamNamespace, key, $"{key}#{i}"))], CancellationToken.None);

        using var silo = await StartSiloAsync(
            dataSource, streamNamespace, applicationName: null, sweepInterval: TimeSpan.FromMilliseconds(250),
            configure: options => (options.Retention, options.CheckpointInterval) = (TimeSpan.Zero, TimeSpan.FromMilliseconds(100)));
        await CheckpointReachesAsync(dataSource, streamNamespace, partition, positions[^1].Seq);
        var left = -1L;
        await Eventually.HoldsAsync(
            async () => (left = await CountEventsAsync(dataSource, streamNamespace)) == 0,
            Patience,
            () => $"the silo to have deleted the checkpointed events of {streamNamespace} ({left} left)");

        var next = await silo.Services.GetRequiredService<IStreamProducer>().AppendAsync(streamNamespace, key, $"{key}#21", CancellationToken.None);
        Assert.Equal(positions[^1].Seq + 1, next.Seq);
        await CheckpointReachesAsync(dataSource, streamNamespace, partition, next.Seq);
        Assert.Equal(21, (await ReadStateAsync(dataSource, key))!.Seqs.Count);
        await silo.StopAsync();
    }

    private static async Task<long> CountEventsAsync(NpgsqlDataSource dataSource, string streamNamespace)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM stream_events WHERE namespace = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = streamNamespace });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<IHost> StartSiloAsync(
        NpgsqlDataSource schema, string streamNamespace, string? applicationName, TimeSpan sweepInterval, int? proxyPort = null,
        Action<StreamOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var connection = new NpgsqlConnectionStringBuilder(schema.ConnectionString);
        if (applicationName is not null)
        {
            connection.ApplicationName = applicationName;
        }

        if (proxyPort is { } port)
        {
            // Through a proxy the test cuts; no checkpoint while the test runs, so what is kept unsaved
            // stays unsaved, and retries late enough that the test restores the proxy first.
            (connection.Host, connection.Port, connection.Timeout, connection.CommandTimeout) = ("127.0.0.1", port, 2, 5);
        }

        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connection));
        builder.Services.AddGrainRuntime()
            .AddGrain<IStreamProbeGrain, StreamProbeGrain>()
            .AddStreamSubscription<IStreamProbeGrain>(streamNamespace)
            .UsePostgresStorage(connection.ConnectionString, migrate: false);
        builder.Services.Configure<StreamOptions>(options =>
        {
            options.SweepInterval = sweepInterval;
            options.RetryDelay = proxyPort is null ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(2);
            options.CheckpointInterval = proxyPort is null ? options.CheckpointInterval : TimeSpan.FromHours(1);
            configure?.Invoke(options);
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Waits until the silo's listener connection has run its LISTEN (seen in pg_stat_activity).</summary>
    private async Task ListenerIsListeningAsync(string applicationName)
    {
        await Eventually.HoldsAsync(
            async () =>
            {
                await using var command = fixture.Admin.CreateCommand(
                    "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle' AND query LIKE '%LISTEN " +
                    PostgresStreamStore.NotificationChannel + "%'");
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = applicationName });
                return (long)(await command.ExecuteScalarAsync())! == 1;
            },
            Patience,
            () => $"the stream listener of silo {applicationName} to be listening on {PostgresStreamStore.NotificationChannel}");
    }

    private static Task CheckpointReachesAsync(NpgsqlDataSource dataSource, string streamNamespace, int partition, long seq) =>
        StreamProbeWaits.CheckpointReachesAsync(new PostgresStreamStore(dataSource), streamNamespace, partition, seq, Patience);

    private static async Task<StreamProbeState?> ReadStateAsync(NpgsqlDataSource dataSource, string key)
    {
        await using var command = dataSource.CreateCommand("SELECT state::text FROM grain_state WHERE grain_type = 'stream-probe' AND grain_key = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        return await command.ExecuteScalarAsync() is string json
            ? JsonSerializer.Deserialize(json, StreamProbeJsonContext.Default.StreamProbeState)
            : null;
    }

    private static StreamAppend Append(string streamNamespace, string key, string payload) => new(streamNamespace, key, payload);

    private static string Namespace() => $"probe-{Guid.NewGuid():N}";
}
