using Governance.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;
using static Governance.Storage.Tests.Contract.TestStates;

namespace Governance.Storage.Tests.Postgres;

/// <summary>
/// Rows written by the previous build (src/Runtime's PostgresStore) read through the new storage,
/// and rows written now look as that build wrote them (same key, partition and etag numbering).
/// </summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresLegacyRowsTests(PostgresFixture fixture) : IAsyncLifetime
{
    // The statements of the previous PostgresStore, as it ran them for a first write.
    private const string LegacyInsertStateSql = """
        INSERT INTO grain_state (grain_type, grain_key, partition, etag, state, label, deadline)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (grain_type, grain_key) DO NOTHING
        """;

    private const string LegacyInsertLedgerSql = """
        INSERT INTO ledger (chain_id, seq, partition, entry, entry_hash)
        SELECT $1, $2, $3, $4, $5
        WHERE $2 <= COALESCE((SELECT max(l.seq) FROM ledger l WHERE l.chain_id = $1), 0) + 1
        """;

    private NpgsqlDataSource _dataSource = null!;
    private PostgresGrainStorage _storage = null!;

    public async Task InitializeAsync()
    {
        _dataSource = await fixture.SchemaForAsync(GetType());
        _storage = new PostgresGrainStorage(_dataSource, TestJsonContext.StorageOptions());
    }

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task A_state_and_ledger_written_by_the_previous_build_read_back_and_take_the_next_write()
    {
        // The previous build keyed a model as ("model", id) and numbered etags from 1; the new
        // storage gets ("model", id) from [GrainType("model")] and the string key.
        var key = "m-" + Guid.NewGuid().ToString("N");
        const string LegacyEntry = "{\"model_id\":\"m\",\"seq\":1,  \"event\":\"training_completed\"}";
        await using (var batch = _dataSource.CreateBatch())
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(LegacyInsertStateSql)
            {
                Parameters =
                {
                    new NpgsqlParameter<string> { TypedValue = "model" },
                    new NpgsqlParameter<string> { TypedValue = key },
                    new NpgsqlParameter<int> { TypedValue = Partitioning.PartitionOf(key) },
                    new NpgsqlParameter<long> { TypedValue = 1 },
                    new NpgsqlParameter<string> { TypedValue = "{\"name\": \"legacy\", \"count\": 1}", NpgsqlDbType = NpgsqlDbType.Jsonb },
                    new NpgsqlParameter { Value = "trained", NpgsqlDbType = NpgsqlDbType.Text },
                    new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                },
            });
            batch.BatchCommands.Add(new NpgsqlBatchCommand(LegacyInsertLedgerSql)
            {
                Parameters =
                {
                    new NpgsqlParameter<string> { TypedValue = key },
                    new NpgsqlParameter<long> { TypedValue = 1 },
                    new NpgsqlParameter<int> { TypedValue = Partitioning.PartitionOf(key) },
                    new NpgsqlParameter<string> { TypedValue = LegacyEntry },
                    new NpgsqlParameter<string> { TypedValue = "legacy-hash" },
                },
            });
            await batch.ExecuteNonQueryAsync();
        }

        var grain = GrainId.Create("model", key);
        var state = Empty();
        await _storage.ReadStateAsync("state", grain, state);
        Assert.True(state.RecordExists);
        Assert.Equal("1", state.ETag);
        Assert.Equal(new TestValue("legacy", 1), state.State.Value);
        var ledger = new PostgresLedgerReader(_dataSource);
        Assert.Equal([new LedgerRecord(key, 1, LegacyEntry, "legacy-hash")], await ledger.ReadAsync(key, 0, 10, default));

        state.State.Stage(new TestValue("next", 2), [new LedgerRecord(key, 2, "{\"seq\":2}", "h2")], "pending", null);
        await _storage.WriteStateAsync("state", grain, state);
        Assert.Equal("2", state.ETag);

        // The new rows carry the partition the previous build gave this key.
        await using var check = _dataSource.CreateCommand(
            "SELECT g.partition, g.etag, g.label, array_agg(l.partition ORDER BY l.seq) FROM grain_state g JOIN ledger l ON l.chain_id = g.grain_key " +
            "WHERE g.grain_type = 'model' AND g.grain_key = $1 GROUP BY g.partition, g.etag, g.label");
        check.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await using var reader = await check.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var partition = Partitioning.PartitionOf(key);
        Assert.Equal(partition, reader.GetInt32(0));
        Assert.Equal(2, reader.GetInt64(1));
        Assert.Equal("pending", reader.GetString(2));
        Assert.Equal([partition, partition], reader.GetFieldValue<int[]>(3));
    }

    [Theory]
    [InlineData("m1", 713)]
    [InlineData("model-0001", 707)]
    [InlineData("é", 382)]
    public void The_partition_of_a_key_is_the_one_the_previous_build_stored(string key, int partition)
    {
        // First 4 bytes of SHA-256(UTF-8 key), big endian, mod 1024: src/Runtime's Partitioning.PartitionOf.
        Assert.Equal(partition, Partitioning.PartitionOf(key));
    }
}
