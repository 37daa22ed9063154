using Governance.Storage.Postgres;
using Npgsql;
using static Governance.Storage.Tests.Contract.TestStates;

namespace Governance.Storage.Tests.Postgres;

/// <summary>The ledger table refuses UPDATE, DELETE and TRUNCATE, whoever sends them.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresLedgerImmutabilityTests(PostgresFixture fixture) : IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;
    private PostgresGrainStorage _storage = null!;

    public async Task InitializeAsync()
    {
        _dataSource = await fixture.SchemaForAsync(GetType());
        _storage = new PostgresGrainStorage(_dataSource, TestJsonContext.StorageOptions());
    }

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Theory]
    [InlineData("UPDATE ledger SET entry = '{\"forged\":true}' WHERE chain_id = $1")]
    [InlineData("UPDATE ledger SET entry_hash = 'x'")]
    [InlineData("DELETE FROM ledger WHERE chain_id = $1")]
    [InlineData("DELETE FROM ledger")]
    [InlineData("TRUNCATE ledger")]
    [InlineData("TRUNCATE ledger CASCADE")]
    public async Task Changing_or_removing_ledger_rows_raises(string sql)
    {
        var grain = NewGrain("ledger");
        LedgerRecord[] rows = [Row(grain, 1), Row(grain, 2)];
        await _storage.WriteStateAsync("state", grain, Staged(null, new TestValue("ledger", 2), rows));

        await using var command = _dataSource.CreateCommand(sql);
        if (sql.Contains("$1", StringComparison.Ordinal))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = ChainOf(grain) });
        }

        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal("ledger is append-only", error.MessageText);
        Assert.Equal(PostgresErrorCodes.ProhibitedSqlStatementAttemptedSqlRoutineException, error.SqlState); // 2F003

        Assert.Equal(rows, await new PostgresLedgerReader(_dataSource).ReadAsync(ChainOf(grain), 0, 10, default));
    }
}
