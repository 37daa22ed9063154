using Governance.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Governance.Cluster.Tests.Infrastructure;

/// <summary>A .NET service as a user writes one: a generic host with <c>AddGovernanceClient(configuration)</c>.</summary>
public sealed class ClientHost : IAsyncDisposable
{
    private readonly IHost _host;

    private ClientHost(IHost host) => _host = host;

    public GovernanceClient Client => _host.Services.GetRequiredService<GovernanceClient>();

    public IServiceProvider Services => _host.Services;

    /// <summary>Starts a client of <paramref name="silo"/>'s cluster through its gateway port, with <paramref name="token"/>.</summary>
    public static Task<ClientHost> StartAsync(SiloProcess silo, string? token, IDictionary<string, string?>? settings = null)
    {
        var configuration = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Orleans:ClusterId"] = silo.ClusterId,
            ["Governance:Client:Gateways:0"] = $"127.0.0.1:{silo.GatewayPort}",
            ["Governance:Client:Token"] = token,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        return StartAsync(configuration);
    }

    public static async Task<ClientHost> StartAsync(IDictionary<string, string?> configuration)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddGovernanceClient(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return new ClientHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
