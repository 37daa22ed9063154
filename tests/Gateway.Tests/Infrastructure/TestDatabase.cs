using Npgsql;

namespace Governance.Gateway.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server of the functional tests. It comes from <c>GOVERNANCE_TEST_POSTGRES</c>
/// (set by <c>./scripts/test.sh</c>, which provisions a throwaway server); when it cannot be reached
/// the tests fail, they never skip.
/// </summary>
public static class TestDatabase
{
    public const string EnvironmentVariable = "GOVERNANCE_TEST_POSTGRES";

    public const string DefaultConnectionString = "Host=127.0.0.1;Port=55432;Username=postgres;Database=governance_test";

    public static string ConnectionString { get; } =
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured ? configured : DefaultConnectionString;

    /// <summary>The server's connection string with <paramref name="schema"/> as the search path.</summary>
    public static string ConnectionStringFor(string schema) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema }.ConnectionString;

    /// <summary>Drops <paramref name="schema"/> with everything in it and creates it empty.</summary>
    public static async Task ResetSchemaAsync(string schema)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        try
        {
            await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE; CREATE SCHEMA \"{schema}\"");
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception exception) when (exception is NpgsqlException or IOException or TimeoutException)
        {
            var target = new NpgsqlConnectionStringBuilder(ConnectionString);
            throw new InvalidOperationException(
                $"The PostgreSQL test server {target.Host}:{target.Port}/{target.Database} is unreachable ({exception.Message}). " +
                $"Run the tests with ./scripts/test.sh, which provisions a throwaway server, or set {EnvironmentVariable} " +
                "to the connection string of a server you provide.",
                exception);
        }
    }
}
