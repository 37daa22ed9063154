using Npgsql;

namespace Governance.Cluster.Tests.Infrastructure;

/// <summary>
/// Silo processes of one cluster (one <c>Orleans:ClusterId</c>) on one PostgreSQL schema, reset when
/// the cluster is created: what a user starts with the README's three-silo block.
/// </summary>
public sealed class SiloCluster : IAsyncDisposable
{
    private readonly List<SiloProcess> _silos = [];
    private Action<SiloProcess>? _configure;

    private SiloCluster(string schema)
    {
        Schema = schema;
        ConnectionString = TestDatabase.ConnectionStringFor(schema);
        Database = NpgsqlDataSource.Create(ConnectionString);
    }

    public string Schema { get; }

    public string ClusterId => Schema;

    public string ConnectionString { get; }

    /// <summary>The cluster's schema, to read what it stored without the API.</summary>
    public NpgsqlDataSource Database { get; }

    public IReadOnlyList<SiloProcess> Silos => _silos;

    /// <summary>Resets <paramref name="schema"/> and starts <paramref name="silos"/> silos, the first alone (it applies the migrations).</summary>
    public static async Task<SiloCluster> StartAsync(string schema, int silos, Action<SiloProcess>? configure = null)
    {
        await TestDatabase.ResetSchemaAsync(schema);
        var cluster = new SiloCluster(schema) { _configure = configure };
        try
        {
            await cluster.AddSiloAsync();
            await Task.WhenAll(Enumerable.Range(1, silos - 1).Select(_ => cluster.AddSiloAsync()));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more silo of the cluster and returns it once it is ready.</summary>
    public async Task<SiloProcess> AddSiloAsync()
    {
        var silo = new SiloProcess(ConnectionString, ClusterId);
        _configure?.Invoke(silo);
        lock (_silos)
        {
            _silos.Add(silo);
        }

        await silo.StartAsync();
        return silo;
    }

    /// <summary>What every silo printed, for failure messages.</summary>
    public string Output => string.Join("\n", _silos.Select((s, i) => $"--- silo {i} ---\n{s.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        await Database.DisposeAsync();
    }
}
