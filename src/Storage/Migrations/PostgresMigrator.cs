using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Governance.Storage.Migrations;

/// <summary>
/// Applies the embedded <c>Migrations/NNNN_name.sql</c> scripts, in version order, to the
/// current schema of <paramref name="dataSource"/> (the first existing schema of its search path).
/// Each migration runs in its own transaction holding a transaction-scoped advisory lock keyed by
/// the schema, so any number of processes may migrate the same schema at once: one applies each
/// version, the others wait and then see it recorded in <c>schema_migrations</c>. Running it again
/// applies nothing.
/// </summary>
public sealed partial class PostgresMigrator(NpgsqlDataSource dataSource, ILogger<PostgresMigrator> logger)
{
    /// <summary>First half of the advisory lock key ("govm"); the second half hashes the schema name.</summary>
    private const int AdvisoryLockClass = 0x676F_766D;

    private const string ResourceFolder = ".Migrations.";

    private const string LockSql = "SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))";

    private const string BootstrapSql = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    int PRIMARY KEY,
            name       text,
            applied_at timestamptz DEFAULT now()
        )
        """;

    private const string IsAppliedSql = "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)";

    private const string RecordSql = "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)";

    private static readonly Lazy<IReadOnlyList<Migration>> EmbeddedMigrations = new(LoadEmbeddedMigrations);

    /// <summary>One embedded migration script.</summary>
    private sealed record Migration(int Version, string Name, string Sql);

    /// <summary>The embedded migrations, in the order they are applied (for diagnostics and tests).</summary>
    public static IReadOnlyList<int> Versions => [.. EmbeddedMigrations.Value.Select(m => m.Version)];

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var migrations = EmbeddedMigrations.Value;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        string schema;
        await using (var command = new NpgsqlCommand("SELECT current_schema()", connection))
        {
            schema = await command.ExecuteScalarAsync(cancellationToken) as string
                ?? throw new InvalidOperationException(
                    "The connection's search_path names no existing schema to migrate; create it first.");
        }

        MigrationLog.MigrationsStarting(logger, migrations.Count, schema);
        var applied = 0;
        foreach (var migration in migrations)
        {
            if (await ApplyAsync(connection, migration, cancellationToken))
            {
                applied++;
            }
        }

        MigrationLog.MigrationsCompleted(logger, schema, applied);
    }

    /// <returns>Whether the migration was applied now (false: it already was).</returns>
    private async Task<bool> ApplyAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        bool alreadyApplied;
        // No command timeout while waiting for the lock or running a script: another process may hold
        // the lock through a long migration. The cancellation token still stops the wait.
        await using (var batch = new NpgsqlBatch(connection, transaction) { Timeout = 0 })
        {
            // Lock first: everything after it, including the bootstrap DDL, runs one process at a time.
            batch.BatchCommands.Add(new NpgsqlBatchCommand(LockSql)
            {
                Parameters = { new NpgsqlParameter<int> { TypedValue = AdvisoryLockClass } },
            });
            batch.BatchCommands.Add(new NpgsqlBatchCommand(BootstrapSql));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var check = new NpgsqlCommand(IsAppliedSql, connection, transaction))
        {
            check.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
            alreadyApplied = await check.ExecuteScalarAsync(cancellationToken) is true;
        }

        if (alreadyApplied)
        {
            await transaction.CommitAsync(cancellationToken);
            MigrationLog.MigrationAlreadyApplied(logger, migration.Version, migration.Name);
            return false;
        }

        try
        {
            await using (var command = new NpgsqlCommand(migration.Sql, connection, transaction) { CommandTimeout = 0 })
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var record = new NpgsqlCommand(RecordSql, connection, transaction))
            {
                record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
                record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Name });
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            MigrationLog.MigrationFailed(logger, exception, migration.Version, migration.Name);
            throw;
        }

        MigrationLog.MigrationApplied(
            logger, migration.Version, migration.Name, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return true;
    }

    private static List<Migration> LoadEmbeddedMigrations()
    {
        var assembly = typeof(PostgresMigrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var folder = resource.IndexOf(ResourceFolder, StringComparison.Ordinal);
            if (folder < 0)
            {
                continue;
            }

            var fileName = resource[(folder + ResourceFolder.Length)..];
            var match = MigrationFileName().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException(
                    $"Embedded migration '{fileName}' is not named NNNN_name.sql.");
            }

            migrations.Add(new Migration(
                int.Parse(match.Groups["version"].Value, NumberStyles.None, CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                ReadResource(assembly, resource)));
        }

        migrations.Sort((x, y) => x.Version.CompareTo(y.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Two embedded migrations have version {migrations[i].Version}.");
            }
        }

        return migrations;
    }

    private static string ReadResource(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded migration '{resource}' cannot be read.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(?<version>[0-9]+)_(?<name>.+)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex MigrationFileName();
}
