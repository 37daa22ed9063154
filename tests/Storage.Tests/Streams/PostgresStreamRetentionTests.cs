using Governance.Storage.Streams;
using Governance.Storage.Tests.Postgres;
using Npgsql;

namespace Governance.Storage.Tests.Streams;

/// <summary>Delivered events past retention are deleted; undelivered ones are kept.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresStreamRetentionTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Cleanup_deletes_only_events_at_or_below_the_checkpoint_and_older_than_retention()
    {
        var schema = await fixture.SchemaForAsync(GetType());
        await using (var seed = schema.CreateCommand("""
            INSERT INTO stream_queue_events (provider, queue_id, seq, namespace, stream_key, payload, appended_at)
            SELECT 'retention', 0, s, 'drift', 'k', '{}', now() - interval '2 hours' FROM generate_series(1, 10) s;
            INSERT INTO stream_queue_events (provider, queue_id, seq, namespace, stream_key, payload, appended_at)
            VALUES ('retention', 0, 4, 'drift', 'k', '{}', now()) ON CONFLICT (provider, queue_id, seq) DO UPDATE SET appended_at = now();
            INSERT INTO stream_queue_checkpoints VALUES ('retention', 0, 6);
            """))
        {
            await seed.ExecuteNonQueryAsync();
        }

        var log = new PostgresStreamLog(schema, "retention");
        var (deleted, remaining) = await log.CleanupAsync(0, DateTimeOffset.UtcNow - TimeSpan.FromHours(1), 3, CancellationToken.None);
        Assert.Equal((3, true), (deleted, remaining));
        (deleted, remaining) = await log.CleanupAsync(0, DateTimeOffset.UtcNow - TimeSpan.FromHours(1), 3, CancellationToken.None);
        Assert.Equal(2, deleted);
        Assert.True(remaining, "seq 4 is delivered but young");
        Assert.Equal([4L, 7, 8, 9, 10], await SeqsAsync(schema, "retention"));
    }

    [Fact]
    public async Task A_silo_deletes_delivered_events_once_they_are_older_than_retention()
    {
        var schema = await fixture.SchemaForAsync(GetType());
        await using var cluster = await StreamTestCluster.StartAsync(schema.ConnectionString, configure: options =>
        {
            options.Retention = TimeSpan.FromSeconds(1);
            options.CleanupInterval = TimeSpan.FromMilliseconds(200);
        });
        var key = $"retention-{Guid.NewGuid():N}";
        for (var n = 1; n <= 10; n++)
        {
            await cluster.Stream(key).OnNextAsync(new TestDriftEvent(key, n));
        }

        await StreamTestCluster.WaitUntilAsync(() => AppliedEvents.For(key).Applied.Count == 10, TimeSpan.FromSeconds(30), () => "the events");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((await SeqsAsync(schema, "drift")).Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "delivered events were not deleted after retention");
            await Task.Delay(200);
        }
    }

    private static async Task<List<long>> SeqsAsync(NpgsqlDataSource schema, string provider)
    {
        await using var command = schema.CreateCommand("SELECT seq FROM stream_queue_events WHERE provider = $1 ORDER BY seq");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = provider });
        await using var reader = await command.ExecuteReaderAsync();
        var seqs = new List<long>();
        while (await reader.ReadAsync())
        {
            seqs.Add(reader.GetInt64(0));
        }

        return seqs;
    }
}
