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

    private const string VersionTableExistsSql = "SELECT to_regclass('schema_migrations') IS NOT NULL";

    private const string AppliedVersionsSql = "SELECT version FROM schema_migrations";

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
        // A silo usually starts on a schema that is up to date: one read, no lock, tells it. A
        // recorded version is never taken back, so a stale answer can only send it down the locked path.
        if (await AllAppliedAsync(connection, migrations, cancellationToken))
        {
            MigrationLog.MigrationsCompleted(logger, schema, 0);
            return;
        }

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

    private static async Task<bool> AllAppliedAsync(NpgsqlConnection connection, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand(VersionTableExistsSql, connection))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return false;
            }
        }

        await using var command = new NpgsqlCommand(AppliedVersionsSql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var recorded = new HashSet<int>();
        while (await reader.ReadAsync(cancellationToken))
        {
            recorded.Add(reader.GetInt32(0));
        }

        return migrations.All(m => recorded.Contains(m.Version));
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
