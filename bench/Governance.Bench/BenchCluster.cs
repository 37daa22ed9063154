using System.Globalization;
using Governance.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Governance.Bench;

/// <summary>
/// N published silo processes of one cluster on one PostgreSQL database, started by the driver
/// (<c>--silo PATH --connection CS --cluster-id ID --http-port P --silo-port P --gateway-port P
/// --log-dir D</c>; silo i listens on each port + i), and an Orleans client of it through
/// <c>AddGovernanceClient</c> for Orleans' management grain (which silo holds what).
/// </summary>
public sealed class BenchCluster : IAsyncDisposable
{
    private readonly List<BenchSiloProcess> _silos;
    private IHost? _client;

    private BenchCluster(List<BenchSiloProcess> silos) => _silos = silos;

    public IReadOnlyList<BenchSiloProcess> Silos => _silos;

    public IClusterClient Client => _client?.Services.GetRequiredService<IClusterClient>()
        ?? throw new BenchException("the cluster's client is not started");

    public IManagementGrain Management => Client.GetGrain<IManagementGrain>(0);

    /// <summary>Starts <paramref name="count"/> silos, the first alone (it applies the migrations), and the client.</summary>
    public static async Task<BenchCluster> StartAsync(BenchArguments arguments, int count)
    {
        var executable = arguments.Required("silo");
        var clusterId = arguments.Text("cluster-id", "bench-cluster");
        var logDirectory = arguments.Text("log-dir", ".");
        var httpPort = arguments.Int("http-port", 18081);
        var siloPort = arguments.Int("silo-port", 21112);
        var gatewayPort = arguments.Int("gateway-port", 31001);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Governance__Storage__Provider"] = "postgres",
            ["ConnectionStrings__Governance"] = arguments.Required("connection"),
            ["Orleans__ClusterId"] = clusterId,
        };
        var silos = Enumerable.Range(0, count)
            .Select(i => new BenchSiloProcess(
                executable, httpPort + i, siloPort + i, gatewayPort + i, environment,
                Path.Combine(logDirectory, $"{clusterId}-silo-{i}.log")))
            .ToList();
        var cluster = new BenchCluster(silos);
        try
        {
            await silos[0].StartAsync();
            await Task.WhenAll(silos.Skip(1).Select(silo => silo.StartAsync()));
            cluster._client = await StartClientAsync(clusterId, silos);
            await cluster.WaitForActiveSilosAsync(count);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The silo's address in the cluster's membership (the incarnation running now).</summary>
    public async Task<SiloAddress> AddressOfAsync(BenchSiloProcess silo)
    {
        var hosts = await Management.GetHosts(onlyActive: true);
        return hosts.Keys.SingleOrDefault(address => address.Endpoint.Port == silo.SiloPort)
            ?? throw new BenchException($"no active silo on port {silo.SiloPort}");
    }

    /// <summary>Waits until the membership table shows <paramref name="count"/> active silos.</summary>
    public async Task WaitForActiveSilosAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var hosts = await Management.GetHosts(onlyActive: true);
            if (hosts.Count == count)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new BenchException($"{hosts.Count} active silos after 60 s, expected {count}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.StopAsync();
            _client.Dispose();
        }

        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
    }

    private static async Task<IHost> StartClientAsync(string clusterId, IReadOnlyList<BenchSiloProcess> silos)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Orleans:ClusterId"] = clusterId,
        };
        for (var i = 0; i < silos.Count; i++)
        {
            settings[$"Governance:Client:Gateways:{i}"] = "127.0.0.1:" + silos[i].GatewayPort.ToString(CultureInfo.InvariantCulture);
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Services.AddGovernanceClient(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
