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
        string connectionString, short silos = 1, Action<PostgresStreamOptions>? configure = null)
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
