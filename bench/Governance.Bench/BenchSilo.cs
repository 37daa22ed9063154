using System.Net;
using System.Net.Sockets;
using Governance.Grains;
using Governance.Grains.Calls;
using Governance.Grains.Keys;
using Governance.Storage;
using Governance.Storage.Memory;
using Governance.Storage.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Streams;

namespace Governance.Bench;

/// <summary>
/// A real Orleans silo in this process, wired as the embedded silo is (DESIGN §7: localhost
/// clustering on free loopback ports, the memory twin of our grain storage over a given
/// <see cref="MemoryEvidenceStore"/>, in-memory reminders, memory streams, the governance grains
/// with their caller filter), without the HTTP gateway. The bench calls the grains through the
/// silo's own <see cref="IGrainFactory"/>, as the co-hosted gateway does, with the caller's token in
/// <see cref="RequestContext"/> (<see cref="As"/>). Activations are collected only after two hours
/// idle, so none is deactivated while a measurement runs.
/// </summary>
public sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private BenchSilo(IHost host)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IGrainFactory>();
    }

    public IGrainFactory Grains { get; }

    public static async Task<BenchSilo> StartAsync(MemoryEvidenceStore store)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Production });
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        var configuration = builder.Configuration;
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreeLoopbackPort(), FreeLoopbackPort());
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = "bench-" + Guid.NewGuid().ToString("N")[..8];
                o.ServiceId = "governance-bench";
            });
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromHours(2));
            silo.UseInMemoryReminderService();
            silo.AddMemoryStreams(DriftStreams.ProviderName, stream => stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly));
            silo.AddGovernanceMemoryStorage(store);
            silo.Services.AddSingleton<IStreamSetAside>(new MemoryStreamSetAside(TimeProvider.System));
            silo.AddGovernanceGrains(configuration);
            silo.Services.AddSingleton<IApproverDirectory>(new FixedApproverDirectory([BenchCallers.Alice, BenchCallers.Bob]));
            silo.Services.AddSingleton<ICallerDirectory>(new BenchCallers());
        });
        var host = builder.Build();
        await host.StartAsync();
        return new BenchSilo(host);
    }

    /// <summary>The grain calls that follow on this async flow run as <paramref name="principal"/>.</summary>
    public static void As(string principal) => CallerToken.Set(BenchCallers.TokenOf(principal));

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
