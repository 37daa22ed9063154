using Npgsql;

namespace Governance.Storage.Tests.Orleans;

/// <summary>
/// The identity of one Orleans cluster in a test: unique ids, so tests sharing a class schema never
/// see each other's membership or reminder rows, and the connection string of that schema.
/// </summary>
public sealed record OrleansTestCluster(string ClusterId, string ServiceId, string ConnectionString)
{
    /// <summary>A new cluster on <paramref name="dataSource"/>'s schema (its connection string carries the search path).</summary>
    public static OrleansTestCluster On(NpgsqlDataSource dataSource, string serverConnectionString)
    {
        var schema = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).SearchPath
            ?? throw new InvalidOperationException("The test data source has no search path.");
        var connectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { SearchPath = schema }.ConnectionString;
        var id = Guid.NewGuid().ToString("N")[..12];
        return new OrleansTestCluster($"cluster-{id}", $"service-{id}", connectionString);
    }
}
