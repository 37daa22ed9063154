using Governance.Storage.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.TestingHost;

namespace Governance.Storage.Tests.Streams;

/// <summary>An in-process Orleans cluster whose silos and client use the PostgreSQL stream provider on one schema.</summary>
public sealed class StreamTestCluster : IAsyncDisposable
{
    private StreamTestCluster(InProcessTestCluster cluster) => Cluster = cluster;

    public InProcessTestCluster Cluster { get; }

    public static async Task<StreamTestCluster> StartAsync(
        string connectionString, short silos = 1, Action<PostgresStreamOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        if (Environment.GetEnvironmentVariable("GOVERNANCE_TEST_SILO_LOG") is { Length: > 0 } level)
        {
            builder.ConfigureSiloHost((_, host) => host.Logging.AddSimpleConsole().SetMinimumLevel(Enum.Parse<LogLevel>(level)));
        }

        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage("PubSubStore");
            silo.Services.AddSingleton<IStreamPayloadCodec, TestDriftCodec>();
            silo.AddGovernancePostgresStreams(GovernanceStorageNames.StreamProvider, connectionString, configure);
            services?.Invoke(silo.Services);
        });
        builder.ConfigureClient(client =>
        {
            client.Services.AddSingleton<IStreamPayloadCodec, TestDriftCodec>();
            client.AddGovernancePostgresStreams(GovernanceStorageNames.StreamProvider, connectionString, configure);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new StreamTestCluster(cluster);
    }

    public IAsyncStream<TestDriftEvent> Stream(string key) =>
        Cluster.Client.GetStreamProvider(GovernanceStorageNames.StreamProvider).GetStream<TestDriftEvent>(StreamId.Create("drift", key));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Cluster.StopAllSilosAsync();
        }
        finally
        {
            await Cluster.DisposeAsync();
        }
    }

    /// <summary>The saved checkpoint of a queue of the test provider (0 when none).</summary>
    public static long CheckpointOf(Npgsql.NpgsqlDataSource schema, int queue)
    {
        using var command = schema.CreateCommand("SELECT seq FROM stream_queue_checkpoints WHERE provider = $1 AND queue_id = $2");
        command.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = GovernanceStorageNames.StreamProvider });
        command.Parameters.Add(new Npgsql.NpgsqlParameter<int> { TypedValue = queue });
        return command.ExecuteScalar() is long seq ? seq : 0;
    }

    /// <summary>Waits until <paramref name="done"/> holds, polling; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> done, TimeSpan timeout, Func<string> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what()}");
            }

            await Task.Delay(20);
        }
    }
}
