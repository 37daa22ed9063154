using Governance.Runtime.Postgres;
using Governance.Runtime.Storage;
using Npgsql;

namespace Governance.Runtime.Tests.Postgres;

/// <summary>The ledger table refuses UPDATE, DELETE and TRUNCATE, whoever sends them.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresLedgerImmutabilityTests(PostgresFixture fixture) : IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;
    private PostgresStore _store = null!;

    public async Task InitializeAsync()
    {
        _dataSource = await fixture.SchemaForAsync(GetType());
        _store = new PostgresStore(_dataSource);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("UPDATE ledger SET entry = '{\"forged\":true}' WHERE chain_id = $1")]
    [InlineData("UPDATE ledger SET entry_hash = 'x'")]
    [InlineData("DELETE FROM ledger WHERE chain_id = $1")]
    [InlineData("DELETE FROM ledger")]
    [InlineData("TRUNCATE ledger")]
    [InlineData("TRUNCATE ledger CASCADE")]
    public async Task Changing_or_removing_ledger_rows_raises(string sql)
    {
        var grain = new GrainId("ledger-test", Guid.NewGuid().ToString("N"));
        var chain = grain.ToString();
        LedgerRecord[] entries = [new(chain, 1, "{\"n\":1}", "h1"), new(chain, 2, "{\"n\":2}", "h2")];
        await _store.WriteAsync(grain, new GrainWrite("{}", 0, entries, [], null, null), default);

        await using var command = _dataSource.CreateCommand(sql);
        if (sql.Contains("$1", StringComparison.Ordinal))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = chain });
        }

        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal("ledger is append-only", error.MessageText);
        Assert.Equal(PostgresErrorCodes.ProhibitedSqlStatementAttemptedSqlRoutineException, error.SqlState); // 2F003

        Assert.Equal(entries, await _store.ReadLedgerAsync(chain, 0, 10, default));
    }
}
