using Governance.Client;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Xunit.Abstractions;

namespace Governance.Storage.Tests.Orleans;

/// <summary>
/// A silo (or a client) in this process on PostgreSQL through <see cref="SiloBuilderPostgresExtensions"/>,
/// listening on 127.0.0.1 only, on ports picked free at start. Logs at Warning and above are captured
/// and printed to the test output when it is disposed.
/// </summary>
public sealed class OrleansTestHost : IAsyncDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly CapturingLoggerProvider _logs;
    private bool _stopped;

    private OrleansTestHost(string name, IHost host, CapturingLoggerProvider logs, ITestOutputHelper output)
    {
        Name = name;
        Host = host;
        _logs = logs;
        _output = output;
    }

    public string Name { get; }

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public IGrainFactory GrainFactory => Services.GetRequiredService<IGrainFactory>();

    /// <summary>The silo's address as Orleans prints it (silos only).</summary>
    public string SiloAddress => Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString();

    public int SiloPort => Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.Endpoint.Port;

    public IReadOnlyCollection<string> Warnings => _logs.Entries;

    /// <summary>Starts a silo with ADO.NET clustering and reminders on <paramref name="cluster"/>'s schema.</summary>
    public static Task<OrleansTestHost> StartSiloAsync(string name, OrleansTestCluster cluster, ITestOutputHelper output)
    {
        var logs = new CapturingLoggerProvider();
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddProvider(logs);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = cluster.ClusterId;
                options.ServiceId = cluster.ServiceId;
            });
            silo.Configure<SiloOptions>(options => options.SiloName = name);
            silo.ConfigureEndpoints(
                IPAddress.Loopback, FreeLoopbackPort.Next(), FreeLoopbackPort.Next(), listenOnAnyHostAddress: false);
            silo.UseGovernancePostgresClustering(cluster.ConnectionString);
            silo.UseGovernancePostgresReminders(cluster.ConnectionString);
            // The silo's failover timings (DESIGN.md §4, "Cluster"), so a departed silo is noticed quickly.
            silo.Configure<ClusterMembershipOptions>(MembershipDefaults.Apply);
            // Orleans refuses periods under a minute unless this is lowered.
            silo.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        });

        return StartAsync(name, builder, logs, output);
    }

    /// <summary>Starts a client that finds its gateways in <paramref name="cluster"/>'s membership table.</summary>
    public static Task<OrleansTestHost> StartClientAsync(string name, OrleansTestCluster cluster, ITestOutputHelper output)
    {
        var logs = new CapturingLoggerProvider();
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddProvider(logs);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = cluster.ClusterId;
                options.ServiceId = cluster.ServiceId;
            });
            client.UseGovernancePostgresClustering(cluster.ConnectionString);
        });

        return StartAsync(name, builder, logs, output);
    }

    private static async Task<OrleansTestHost> StartAsync(string name, HostApplicationBuilder builder, CapturingLoggerProvider logs, ITestOutputHelper output)
    {
        var host = builder.Build();
        var started = new OrleansTestHost(name, host, logs, output);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await host.StartAsync(timeout.Token);
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }

        return started;
    }

    /// <summary>Stops gracefully: a silo marks itself dead in the membership table on the way out.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Host.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            if (Host is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
            else
            {
                Host.Dispose();
            }

            foreach (var entry in _logs.Entries)
            {
                _output.WriteLine($"[{Name}] {entry}");
            }
        }
    }
}
