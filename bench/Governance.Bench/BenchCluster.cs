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
    private static readonly TimeSpan ReadyPollInterval = TimeSpan.FromMilliseconds(20);

    private readonly List<BenchSiloProcess> _silos;
    private readonly int _siloPort;
    private IHost? _client;

    private BenchCluster(List<BenchSiloProcess> silos, int siloPort)
    {
        _silos = silos;
        _siloPort = siloPort;
    }

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
        var connectionString = arguments.Required("connection");
        var silos = Enumerable.Range(0, count)
            .Select(i => new BenchSiloProcess(
                executable,
                new Uri($"http://127.0.0.1:{httpPort + i}/"),
                new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["ASPNETCORE_ENVIRONMENT"] = "Development",
                    ["Governance__Storage__Provider"] = "postgres",
                    ["ConnectionStrings__Governance"] = connectionString,
                    ["Orleans__ClusterId"] = clusterId,
                    ["Orleans__Endpoints__SiloPort"] = Port(siloPort + i),
                    ["Orleans__Endpoints__GatewayPort"] = Port(gatewayPort + i),
                    ["Orleans__Endpoints__AdvertisedIPAddress"] = "127.0.0.1",
                },
                Path.Combine(logDirectory, $"{clusterId}-silo-{i}.log"),
                ReadyPollInterval))
            .ToList();
        var cluster = new BenchCluster(silos, siloPort);
        try
        {
            await silos[0].StartAsync();
            await Task.WhenAll(silos.Skip(1).Select(silo => silo.StartAsync()));
            cluster._client = await StartClientAsync(clusterId, Enumerable.Range(0, count).Select(i => gatewayPort + i));
            await cluster.WaitForActiveSilosAsync(count);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Silo <paramref name="index"/>'s address in the cluster's membership (the incarnation running now).</summary>
    public async Task<SiloAddress> AddressOfAsync(int index)
    {
        var hosts = await Management.GetHosts(onlyActive: true);
        return hosts.Keys.SingleOrDefault(address => address.Endpoint.Port == _siloPort + index)
            ?? throw new BenchException($"no active silo on port {_siloPort + index}");
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

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static async Task<IHost> StartClientAsync(string clusterId, IEnumerable<int> gatewayPorts)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Orleans:ClusterId"] = clusterId,
        };
        foreach (var (port, i) in gatewayPorts.Select((port, i) => (port, i)))
        {
            settings[$"Governance:Client:Gateways:{i}"] = "127.0.0.1:" + Port(port);
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
