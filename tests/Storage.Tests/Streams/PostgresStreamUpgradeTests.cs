using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Governance.Storage.Migrations;
using Governance.Storage.Tests.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace Governance.Storage.Tests.Streams;

/// <summary>Migration 0007 on a schema whose old log (0002) has undelivered drift events.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresStreamUpgradeTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Undelivered_events_of_the_old_log_are_delivered_and_new_seqs_are_above_its_heads()
    {
        var schema = await fixture.CreateSchemaAsync(PostgresFixture.SchemaNameFor(GetType()));
        // Back to the schema before 0007, as today's build leaves it.
        await using (var undo = schema.CreateCommand("""
            DROP TABLE stream_queue_events, stream_queue_heads, stream_queue_checkpoints;
            DROP SEQUENCE stream_queue_seq;
            DELETE FROM schema_migrations WHERE version = 7;
            """))
        {
            await undo.ExecuteNonQueryAsync();
        }

        var pending = $"upgrade-{Guid.NewGuid():N}";
        var done = $"upgrade-done-{Guid.NewGuid():N}";
        // As PostgresStreamStore appended: per partition, seqs 1..head; drift-monitor finished seq 2 of
        // the pending key's partition and everything of the other one, whose head is the highest.
        var sql = new StringBuilder();
        var p1 = PartitionOf(pending);
        var p2 = PartitionOf(done);
        Assert.NotEqual(p1, p2);
        sql.AppendLine($"INSERT INTO stream_heads VALUES ('drift', {p1}, 5), ('drift', {p2}, 700), ('other', 1, 900);");
        for (var seq = 1; seq <= 5; seq++)
        {
            sql.AppendLine($"INSERT INTO stream_events (namespace, partition, seq, stream_key, payload) VALUES ('drift', {p1}, {seq}, '{pending}', '{Json(pending, seq)}');");
        }

        sql.AppendLine($"INSERT INTO stream_events (namespace, partition, seq, stream_key, payload) VALUES ('drift', {p2}, 700, '{done}', '{Json(done, 700)}');");
        sql.AppendLine($"INSERT INTO stream_checkpoints VALUES ('drift-monitor', 'drift', {p1}, 2), ('drift-monitor', 'drift', {p2}, 700);");
        await using (var old = schema.CreateCommand(sql.ToString()))
        {
            await old.ExecuteNonQueryAsync();
        }

        await new PostgresMigrator(schema, NullLogger<PostgresMigrator>.Instance).MigrateAsync(CancellationToken.None);
        await using var cluster = await StreamTestCluster.StartAsync(schema.ConnectionString);
        await cluster.Stream(pending).OnNextAsync(new TestDriftEvent(pending, 6));

        await StreamTestCluster.WaitUntilAsync(
            () => AppliedEvents.For(pending).Applied.Count == 4, TimeSpan.FromSeconds(30),
            () => $"{AppliedEvents.For(pending).Applied.Count} of 4 events of {pending}");
        var applied = AppliedEvents.For(pending).Applied;
        Assert.Equal([3, 4, 5, 6], applied.Select(e => e.N));
        Assert.All(applied, e => Assert.True(e.Seq > 900, $"seq {e.Seq} is not above the old log's heads"));
        Assert.Empty(AppliedEvents.For(done).Applied);
    }

    private static string Json(string key, int n) => JsonSerializer.Serialize(new TestDriftEvent(key, n));

    // src/Runtime/Partitioning.cs.
    private static int PartitionOf(string key) =>
        (int)(BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(key))) % 1024);
}
