using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Governance.Storage.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Governance.Storage.Tests.Postgres;

/// <summary>
/// The PostgreSQL server of the integration tests, shared by every class of the
/// <see cref="PostgresCollection"/>. Each test class works in a schema of its own, dropped and
/// recreated (and migrated) the first time the class asks for it in a run, so tests never see
/// each other's rows and reruns start clean.
/// </summary>
/// <remarks>
/// The server comes from <c>GOVERNANCE_TEST_POSTGRES</c> (set by <c>./scripts/test.sh</c>, which
/// provisions a throwaway cluster). When it cannot be reached the tests fail, never skip.
/// To reuse in another test project: copy this class and <see cref="PostgresCollection"/>; schema
/// names start with the test assembly's name, so projects running at once do not collide.
/// </remarks>
public sealed partial class PostgresFixture : IAsyncLifetime
{
    public const string EnvironmentVariable = "GOVERNANCE_TEST_POSTGRES";

    public const string DefaultConnectionString = "Host=127.0.0.1;Port=55432;Username=postgres;Database=governance_test";

    private const int MaxIdentifierLength = 63;

    private readonly ConcurrentDictionary<string, Lazy<Task<NpgsqlDataSource>>> _classSchemas = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<NpgsqlDataSource> _dataSources = [];
    private readonly ConcurrentDictionary<string, byte> _createdSchemas = new(StringComparer.Ordinal);
    private NpgsqlDataSource? _admin;

    public PostgresFixture()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        ConnectionString = string.IsNullOrWhiteSpace(configured) ? DefaultConnectionString : configured;
    }

    /// <summary>The server's connection string, without a search path.</summary>
    public string ConnectionString { get; }

    /// <summary>A data source on the server's default schema, for statements outside any test schema.</summary>
    public NpgsqlDataSource Admin => _admin ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task InitializeAsync()
    {
        _admin = NpgsqlDataSource.Create(ConnectionString);
        try
        {
            await using var connection = await _admin.OpenConnectionAsync();
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync();
        }
        catch (Exception exception) when (exception is NpgsqlException or IOException or TimeoutException)
        {
            var target = new NpgsqlConnectionStringBuilder(ConnectionString);
            throw new InvalidOperationException(
                $"The PostgreSQL test server {target.Host}:{target.Port}/{target.Database} is unreachable " +
                $"({exception.Message}). Run the tests with ./scripts/test.sh, which provisions a throwaway " +
                $"server, or set {EnvironmentVariable} to the connection string of a server you provide.",
                exception);
        }
    }

    /// <summary>
    /// The schema of <paramref name="testClass"/>: fresh and migrated on the first call of the run,
    /// then the same data source for every test of the class.
    /// </summary>
    public Task<NpgsqlDataSource> SchemaForAsync(Type testClass)
    {
        var schemaName = SchemaNameFor(testClass);
        return _classSchemas
            .GetOrAdd(schemaName, name => new Lazy<Task<NpgsqlDataSource>>(() => CreateSchemaAsync(name)))
            .Value;
    }

    /// <summary>
    /// Drops <paramref name="schemaName"/> if it exists, creates it empty, applies the migrations to
    /// it and returns a data source whose search path is that schema. The fixture disposes the data
    /// source and drops the schema at the end of the run.
    /// </summary>
    public Task<NpgsqlDataSource> CreateSchemaAsync(string schemaName) => CreateSchemaAsync(schemaName, migrate: true);

    /// <summary>As <see cref="CreateSchemaAsync(string)"/>, leaving the schema empty unless <paramref name="migrate"/>.</summary>
    public async Task<NpgsqlDataSource> CreateSchemaAsync(string schemaName, bool migrate)
    {
        if (!SchemaNamePattern().IsMatch(schemaName))
        {
            throw new ArgumentException(
                $"Schema name '{schemaName}' must be a lower-case identifier of at most {MaxIdentifierLength} characters.",
                nameof(schemaName));
        }

        await using (var command = Admin.CreateCommand(
            $"DROP SCHEMA IF EXISTS \"{schemaName}\" CASCADE; CREATE SCHEMA \"{schemaName}\""))
        {
            await command.ExecuteNonQueryAsync();
        }

        _createdSchemas.TryAdd(schemaName, 0);
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schemaName };
        var dataSource = NpgsqlDataSource.Create(builder);
        _dataSources.Add(dataSource);
        if (migrate)
        {
            await new PostgresMigrator(dataSource, NullLogger<PostgresMigrator>.Instance).MigrateAsync(CancellationToken.None);
        }

        return dataSource;
    }

    /// <summary>A schema name unique to the test assembly and class, e.g. governance_runtime_tests_postgresstoretests.</summary>
    public static string SchemaNameFor(Type testClass)
    {
        var assembly = testClass.Assembly.GetName().Name ?? "tests";
        var name = NonIdentifierCharacters().Replace($"{assembly}_{testClass.Name}".ToLowerInvariant(), "_");
        if (name.Length <= MaxIdentifierLength)
        {
            return name;
        }

        // Too long for an identifier: keep a readable prefix and make it unique with a hash.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        return $"{name[..(MaxIdentifierLength - 9)]}_{hash}";
    }

    public async Task DisposeAsync()
    {
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }

        if (_admin is null)
        {
            return;
        }

        try
        {
            foreach (var schemaName in _createdSchemas.Keys)
            {
                await using var command = _admin.CreateCommand($"DROP SCHEMA IF EXISTS \"{schemaName}\" CASCADE");
                await command.ExecuteNonQueryAsync();
            }
        }
        finally
        {
            await _admin.DisposeAsync();
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaNamePattern();

    [GeneratedRegex("[^a-z0-9_]")]
    private static partial Regex NonIdentifierCharacters();
}
