using Governance.Storage.Streams;
using Governance.Storage.Tests.Postgres;

namespace Governance.Storage.Tests.Streams;

/// <summary>An event the consumer always fails on: after MaxEventDeliveryTime it is set aside and the stream goes on.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresStreamPoisonTests(PostgresFixture fixture)
{
    [Fact]
    public async Task An_event_Orleans_gives_up_on_is_set_aside_and_later_events_are_delivered()
    {
        var schema = await fixture.SchemaForAsync(GetType());
        await using var cluster = await StreamTestCluster.StartAsync(
            schema.ConnectionString, configure: options => options.MaxEventDeliveryTime = TimeSpan.FromSeconds(3));
        var key = $"poison-{Guid.NewGuid():N}";
        await cluster.Stream(key).OnNextAsync(new TestDriftEvent(key, 1));
        await cluster.Stream(key).OnNextAsync(new TestDriftEvent(key, 2, Poison: true));
        await cluster.Stream(key).OnNextAsync(new TestDriftEvent(key, 3));

        await StreamTestCluster.WaitUntilAsync(
            () => AppliedEvents.For(key).Applied.Count == 2, TimeSpan.FromSeconds(60), () => $"events after the poison one of {key}");
        Assert.Equal([1, 3], AppliedEvents.For(key).Applied.Select(e => e.N));

        var setAside = await new PostgresStreamSetAside(schema).ListAsync("drift", key, 0, 10, CancellationToken.None);
        var record = Assert.Single(setAside);
        Assert.Equal("delivery time exceeded", record.Error);
        Assert.Equal("drift-monitor", record.Consumer);
        Assert.Contains("\"Poison\":true", record.Payload, StringComparison.Ordinal);
        Assert.Equal(PostgresStreamQueueMapper.QueueOf(key, 8), record.Partition);
    }

    [Fact]
    public async Task With_deliveries_of_several_containers_every_event_is_applied_or_set_aside_and_the_checkpoint_moves_past_a_given_up_one()
    {
        var schema = await fixture.SchemaForAsync(GetType());
        await using var cluster = await StreamTestCluster.StartAsync(schema.ConnectionString, configure: options =>
        {
            options.MaxEventDeliveryTime = TimeSpan.FromSeconds(3);
            options.MaxContainersPerDelivery = 8;
        });
        var key = $"poison-batch-{Guid.NewGuid():N}";
        for (var n = 1; n <= 4; n++)
        {
            await cluster.Stream(key).OnNextAsync(new TestDriftEvent(key, n, Poison: n == 2));
        }

        var setAside = new PostgresStreamSetAside(schema);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        IReadOnlyList<SetAsideEvent> records;
        while (true)
        {
            records = await setAside.ListAsync("drift", key, 0, 10, CancellationToken.None);
            var applied = AppliedEvents.For(key).Applied.Select(e => e.N).ToList();
            var missing = Enumerable.Range(1, 4)
                .Where(n => !applied.Contains(n) && !records.Any(r => r.Payload.Contains($"\"N\":{n},", StringComparison.Ordinal))).ToList();
            if (missing.Count == 0)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for events {string.Join(", ", missing)} of {key} to be applied or set aside.");
            await Task.Delay(50);
        }

        Assert.DoesNotContain(2, AppliedEvents.For(key).Applied.Select(e => e.N));
        Assert.Contains(records, r => r.Payload.Contains("\"Poison\":true", StringComparison.Ordinal));
        var lastSeq = records.Select(r => r.Seq).Concat(AppliedEvents.For(key).Applied.Select(e => e.Seq)).Max();
        await StreamTestCluster.WaitUntilAsync(
            () => CheckpointOf(schema, PostgresStreamQueueMapper.QueueOf(key, 8)) >= lastSeq, TimeSpan.FromSeconds(30),
            () => $"the checkpoint of {key}'s queue to pass seq {lastSeq}");
    }

    private static long CheckpointOf(Npgsql.NpgsqlDataSource schema, int queue)
    {
        using var command = schema.CreateCommand("SELECT seq FROM stream_queue_checkpoints WHERE provider = $1 AND queue_id = $2");
        command.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = GovernanceStorageNames.StreamProvider });
        command.Parameters.Add(new Npgsql.NpgsqlParameter<int> { TypedValue = queue });
        return command.ExecuteScalar() is long seq ? seq : 0;
    }

    [Fact]
    public async Task Setting_an_event_aside_twice_keeps_the_first_record_in_both_twins()
    {
        var schema = await fixture.SchemaForAsync(GetType());
        IStreamSetAside[] twins = [new PostgresStreamSetAside(schema), new MemoryStreamSetAside()];
        foreach (var twin in twins)
        {
            var key = $"twice-{Guid.NewGuid():N}";
            await twin.SetAsideAsync("drift-monitor", "drift", key, 42, "{}", "first", 3, CancellationToken.None);
            await twin.SetAsideAsync("drift-monitor", "drift", key, 42, "{}", "second", 4, CancellationToken.None);
            var record = Assert.Single(await twin.ListAsync("drift", key, 0, 10, CancellationToken.None));
            Assert.Equal(("first", 3, 42L), (record.Error, record.Attempts, record.Seq));
        }
    }
}
