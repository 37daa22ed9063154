using System.Diagnostics;
using System.Text.Json.Nodes;
using Governance.Runtime.Postgres;
using Npgsql;
using Xunit.Abstractions;

namespace Governance.Runtime.Tests.Postgres;

/// <summary>
/// Fetching due reminders reads the (partition, due_at) index, not the whole table: checked on a
/// million reminders, almost all of them far in the future.
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresReminderIndexTests(PostgresFixture fixture, ITestOutputHelper output)
{
    private const int ReminderCount = 1_000_000;
    private const int DueEvery = 1_000; // every 1000th reminder is due: 1000 of them
    private const string DueIndex = "reminders_due_ix";

    private static readonly DateTimeOffset Now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly int[] AllPartitions = [.. Enumerable.Range(0, Partitioning.PartitionCount)];

    [Fact]
    public async Task Due_reminders_are_fetched_through_the_partition_due_index_among_a_million()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO reminders (grain_type, grain_key, name, partition, due_at, period_ms)
                SELECT 'bulk', 'k' || g, 'r', g % 1024,
                       CASE WHEN g % $2 = 0
                            THEN $1 - g * interval '1 millisecond'
                            ELSE $1 + interval '3650 days' + g * interval '1 second'
                       END,
                       NULL
                FROM generate_series(1, $3) AS g
                """,
                connection)
            {
                CommandTimeout = 600,
                Parameters =
                {
                    new NpgsqlParameter<DateTimeOffset> { TypedValue = Now },
                    new NpgsqlParameter<int> { TypedValue = DueEvery },
                    new NpgsqlParameter<int> { TypedValue = ReminderCount },
                },
            };
            Assert.Equal(ReminderCount, await insert.ExecuteNonQueryAsync());
            await using var analyze = new NpgsqlCommand("ANALYZE reminders", connection) { CommandTimeout = 600 };
            await analyze.ExecuteNonQueryAsync();

            // The plan for the parameter values a silo sends: all partitions, or a few of them.
            AssertUsesDueIndex(await ExplainAsync(connection, AllPartitions), "custom plan, all partitions");
            AssertUsesDueIndex(await ExplainAsync(connection, [1, 2, 3, 4, 5, 6, 7, 8]), "custom plan, 8 partitions");

            // The generic plan a prepared statement may switch to must not scan the table either.
            AssertUsesDueIndex(await ExplainGenericAsync(connection), "generic plan");
        }

        var store = new PostgresStore(dataSource);
        var stopwatch = Stopwatch.StartNew();
        var due = await store.GetDueAsync(AllPartitions, Now, 5_000, default);
        stopwatch.Stop();
        output.WriteLine($"GetDueAsync: {due.Count} due of {ReminderCount} in {stopwatch.Elapsed.TotalMilliseconds:F1} ms");

        Assert.Equal(ReminderCount / DueEvery, due.Count);
        Assert.All(due, reminder => Assert.True(reminder.DueAt <= Now));
        Assert.Equal(due.OrderBy(r => r.DueAt).Select(r => r.Grain.Key), due.Select(r => r.Grain.Key));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"Fetching due reminders took {stopwatch.Elapsed}.");

        // The limit keeps the earliest.
        Assert.Equal(due.Take(100), await store.GetDueAsync(AllPartitions, Now, 100, default));

        // Only the asked partitions.
        int[] some = [0, 5, 77, 1023];
        var expectedKeys = Enumerable.Range(1, ReminderCount / DueEvery)
            .Select(i => i * DueEvery)
            .Where(g => some.Contains(g % 1024))
            .Select(g => "k" + g)
            .Order(StringComparer.Ordinal);
        var fetched = await store.GetDueAsync(some, Now, 5_000, default);
        Assert.Equal(expectedKeys, fetched.Select(r => r.Grain.Key).Order(StringComparer.Ordinal));
    }

    private async Task<JsonNode> ExplainAsync(NpgsqlConnection connection, int[] partitions)
    {
        await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, FORMAT JSON) " + PostgresStore.DueRemindersSql, connection)
        {
            Parameters =
            {
                new NpgsqlParameter<int[]> { TypedValue = partitions },
                new NpgsqlParameter<DateTimeOffset> { TypedValue = Now },
                new NpgsqlParameter<int> { TypedValue = 5_000 },
            },
        };
        var plan = JsonNode.Parse((string)(await command.ExecuteScalarAsync())!)!;
        output.WriteLine(plan.ToJsonString());
        return plan;
    }

    private async Task<JsonNode> ExplainGenericAsync(NpgsqlConnection connection)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SET LOCAL plan_cache_mode = force_generic_plan"),
                new NpgsqlBatchCommand("PREPARE due_generic(int[], timestamptz, int) AS " + PostgresStore.DueRemindersSql),
            },
        };
        await batch.ExecuteNonQueryAsync();

        // EXECUTE takes literal arguments; these are integers and a fixed instant, nothing to escape.
        var partitions = "{" + string.Join(',', AllPartitions) + "}";
        await using var explain = new NpgsqlCommand(
            $"EXPLAIN (FORMAT JSON) EXECUTE due_generic('{partitions}', '2030-01-01T00:00:00Z', 5000)",
            connection,
            transaction);
        var plan = JsonNode.Parse((string)(await explain.ExecuteScalarAsync())!)!;
        output.WriteLine(plan.ToJsonString());
        await using var deallocate = new NpgsqlCommand("DEALLOCATE due_generic", connection, transaction);
        await deallocate.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        return plan;
    }

    private static void AssertUsesDueIndex(JsonNode explain, string what)
    {
        var nodes = new List<JsonObject>();
        Collect(explain[0]!["Plan"]!.AsObject(), nodes);
        var nodeTypes = nodes.Select(node => (string?)node["Node Type"]).ToList();
        Assert.DoesNotContain("Seq Scan", nodeTypes);
        Assert.True(
            nodes.Any(node => (string?)node["Index Name"] == DueIndex),
            $"{what}: expected a scan of {DueIndex}, found {string.Join(", ", nodeTypes)}");
    }

    private static void Collect(JsonObject node, List<JsonObject> nodes)
    {
        nodes.Add(node);
        if (node["Plans"] is JsonArray children)
        {
            foreach (var child in children)
            {
                Collect(child!.AsObject(), nodes);
            }
        }
    }
}
