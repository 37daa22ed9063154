using Governance.Runtime.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Governance.Runtime.Tests.Postgres;

/// <summary>Migrations apply once, in order, even with many silos starting at the same time.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresMigratorTests(PostgresFixture fixture)
{
    // In table_name order; orleansquery and orleans_* are Orleans' ADO.NET tables of migration 0005.
    private static readonly string[] Tables =
    [
        "grain_state", "ledger", "orleans_membership", "orleans_membership_version", "orleans_reminders", "orleansquery",
        "reminders", "schema_migrations", "stream_checkpoints", "stream_events", "stream_heads", "stream_set_aside",
    ];

    [Fact]
    public async Task Migrating_again_applies_nothing_and_keeps_the_data()
    {
        // Already migrated once by the fixture.
        var dataSource = await fixture.SchemaForAsync(GetType());
        var store = new PostgresStore(dataSource);
        var grain = new GrainId("migrator-test", "k");
        await store.WriteAsync(grain, new Storage.GrainWrite("{\"kept\": true}", 0, [], [], null, null), default);
        var before = await AppliedAsync(dataSource);

        var migrator = new PostgresMigrator(dataSource, NullLogger<PostgresMigrator>.Instance);
        await migrator.MigrateAsync(default);
        await migrator.MigrateAsync(default);

        Assert.Equal(PostgresMigrator.Versions, (await AppliedAsync(dataSource)).Select(row => row.Version));
        Assert.Equal(before, await AppliedAsync(dataSource));
        Assert.Equal(1, (await store.ReadAsync(grain, default))!.ETag);
    }

    [Fact]
    public async Task Silos_migrating_one_schema_at_once_apply_each_version_once()
    {
        var dataSource = await fixture.CreateSchemaAsync(PostgresFixture.SchemaNameFor(GetType()) + "_race", migrate: false);

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var silos = Enumerable.Range(0, 8).Select(async _ =>
        {
            await start.Task;
            await new PostgresMigrator(dataSource, NullLogger<PostgresMigrator>.Instance).MigrateAsync(default);
        }).ToList();
        start.SetResult();
        await Task.WhenAll(silos);

        Assert.Equal(PostgresMigrator.Versions, (await AppliedAsync(dataSource)).Select(row => row.Version));
        await using var command = dataSource.CreateCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name");
        var tables = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Equal(Tables, tables);
    }

    [Fact]
    public async Task Migrations_stay_in_the_search_path_schema()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = Tables });
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    private static async Task<List<(int Version, string Name, DateTime AppliedAt)>> AppliedAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(int, string, DateTime)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetString(1), reader.GetDateTime(2)));
        }

        return rows;
    }
}
