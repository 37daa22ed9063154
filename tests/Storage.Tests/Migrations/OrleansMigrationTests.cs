using Governance.Storage.Migrations;
using Governance.Storage.Tests.Postgres;
using Npgsql;

namespace Governance.Storage.Tests.Migrations;

/// <summary>Migration 0005 (Orleans' ADO.NET tables and queries) on fresh, current and older schemas.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OrleansMigrationTests(PostgresFixture fixture)
{
    private const int OrleansMigration = 5;

    [Fact]
    public async Task Fresh_schema_records_every_embedded_version_1_to_5()
    {
        var dataSource = await fixture.CreateSchemaAsync(SchemaName("fresh"), migrate: false);
        var log = new RecordingMigratorLogger();

        await new PostgresMigrator(dataSource, log).MigrateAsync(CancellationToken.None);

        var recorded = await RecordedVersionsAsync(dataSource);
        Assert.Equal(PostgresMigrator.Versions, recorded);
        Assert.Subset(recorded.ToHashSet(), new HashSet<int> { 1, 2, 3, 4, 5 });
        Assert.Equal(PostgresMigrator.Versions, log.AppliedVersions);
        Assert.True(await QueryCountAsync(dataSource) > 0);
    }

    [Fact]
    public async Task Running_the_migrator_again_applies_nothing()
    {
        var dataSource = await fixture.CreateSchemaAsync(SchemaName("rerun"), migrate: true);
        var before = await MigrationRowsAsync(dataSource);
        var queriesBefore = await QueryCountAsync(dataSource);
        var log = new RecordingMigratorLogger();

        await new PostgresMigrator(dataSource, log).MigrateAsync(CancellationToken.None);

        Assert.Empty(log.AppliedVersions);
        Assert.Equal(0, log.LastAppliedCount);
        Assert.Equal(before, await MigrationRowsAsync(dataSource));
        Assert.Equal(queriesBefore, await QueryCountAsync(dataSource));
    }

    [Fact]
    public async Task Schema_migrated_to_0004_gets_0005_and_keeps_its_rows()
    {
        // Today's build: the scripts up to 0004 applied and recorded, as its migrator did.
        var dataSource = await fixture.CreateSchemaAsync(SchemaName("at0004"), migrate: false);
        await ApplyEmbeddedScriptsUpToAsync(dataSource, OrleansMigration - 1);
        await ExecuteAsync(dataSource, """
            INSERT INTO grain_state (grain_type, grain_key, partition, etag, state, label)
            VALUES ('model', 'm-1', 3, 7, '{"status":"approved"}', 'approved');
            INSERT INTO ledger (chain_id, seq, partition, entry, entry_hash)
            VALUES ('model/m-1', 1, 3, '{"kind":"approved"}', 'abc123');
            """);
        Assert.Equal([1, 2, 3, 4], await RecordedVersionsAsync(dataSource));
        var log = new RecordingMigratorLogger();

        await new PostgresMigrator(dataSource, log).MigrateAsync(CancellationToken.None);

        Assert.Contains(OrleansMigration, log.AppliedVersions);
        Assert.DoesNotContain(log.AppliedVersions, v => v < OrleansMigration);
        Assert.Equal(PostgresMigrator.Versions, await RecordedVersionsAsync(dataSource));
        Assert.Equal("approved", await ScalarAsync<string>(dataSource,
            "SELECT state->>'status' FROM grain_state WHERE grain_type = 'model' AND grain_key = 'm-1' AND etag = 7"));
        Assert.Equal("abc123", await ScalarAsync<string>(dataSource,
            "SELECT entry_hash FROM ledger WHERE chain_id = 'model/m-1' AND seq = 1"));
        Assert.True(await QueryCountAsync(dataSource) > 0);
    }

    [Fact]
    public async Task Two_migrators_at_once_on_a_fresh_schema_both_succeed()
    {
        var dataSource = await fixture.CreateSchemaAsync(SchemaName("concurrent"), migrate: false);
        var first = new RecordingMigratorLogger();
        var second = new RecordingMigratorLogger();

        await Task.WhenAll(
            Task.Run(() => new PostgresMigrator(dataSource, first).MigrateAsync(CancellationToken.None)),
            Task.Run(() => new PostgresMigrator(dataSource, second).MigrateAsync(CancellationToken.None)));

        Assert.Equal(PostgresMigrator.Versions, await RecordedVersionsAsync(dataSource));
        // Each version was applied by exactly one of them.
        Assert.Equal(PostgresMigrator.Versions, [.. first.AppliedVersions.Concat(second.AppliedVersions).Order()]);
        Assert.True(await QueryCountAsync(dataSource) > 0);
    }

    [Fact]
    public async Task Script_0005_runs_again_over_itself_without_error_or_duplicates()
    {
        var dataSource = await fixture.CreateSchemaAsync(SchemaName("idempotent"), migrate: true);
        var queries = await QueryCountAsync(dataSource);
        await ExecuteAsync(dataSource, "UPDATE OrleansQuery SET QueryText = 'stale' WHERE QueryKey = 'GatewaysQueryKey'");

        await ExecuteAsync(dataSource, EmbeddedScript(OrleansMigration));

        Assert.Equal(queries, await QueryCountAsync(dataSource));
        var gateways = await ScalarAsync<string>(dataSource, "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'GatewaysQueryKey'");
        Assert.Contains("@DeploymentId", gateways, StringComparison.Ordinal);
    }

    private static string SchemaName(string suffix) => $"{PostgresFixture.SchemaNameFor(typeof(OrleansMigrationTests))}_{suffix}";

    private static async Task ApplyEmbeddedScriptsUpToAsync(NpgsqlDataSource dataSource, int lastVersion)
    {
        await ExecuteAsync(dataSource, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    int PRIMARY KEY,
                name       text,
                applied_at timestamptz DEFAULT now()
            )
            """);
        foreach (var (version, name, sql) in EmbeddedScripts().Where(s => s.Version <= lastVersion))
        {
            await ExecuteAsync(dataSource, sql);
            await using var record = dataSource.CreateCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)");
            record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = version });
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
            await record.ExecuteNonQueryAsync();
        }
    }

    private static string EmbeddedScript(int version) => EmbeddedScripts().Single(s => s.Version == version).Sql;

    private static List<(int Version, string Name, string Sql)> EmbeddedScripts()
    {
        var assembly = typeof(PostgresMigrator).Assembly;
        var scripts = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.Contains(".Migrations.", StringComparison.Ordinal)))
        {
            var fileName = resource[(resource.IndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..];
            var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add((int.Parse(fileName[..underscore], System.Globalization.CultureInfo.InvariantCulture),
                fileName[(underscore + 1)..^".sql".Length], reader.ReadToEnd()));
        }

        return [.. scripts.OrderBy(s => s.Item1)];
    }

    private static async Task<List<int>> RecordedVersionsAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT version FROM schema_migrations ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static async Task<List<string>> MigrationRowsAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT version || ' ' || name || ' ' || applied_at::text FROM schema_migrations ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    private static async Task<long> QueryCountAsync(NpgsqlDataSource dataSource) =>
        await ScalarAsync<long>(dataSource, "SELECT count(*) FROM OrleansQuery");

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
