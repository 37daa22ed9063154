using System.Net;
using Governance.Client;
using Governance.Gateway;
using Governance.Gateway.Authentication;
using Governance.Grains;
using Governance.Grains.Calls;
using Governance.Storage;
using Governance.Storage.Migrations;
using Governance.Storage.Streams;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Streams;

namespace Governance.Silo;

public static class SiloHostExtensions
{
    /// <summary>
    /// Configures the silo from configuration (DESIGN §7): Orleans with the chosen providers
    /// (memory: localhost clustering, memory grain storage, in-memory reminders, memory streams;
    /// postgres: ADO.NET clustering and reminders, our grain storage and drift stream, migrations at
    /// start), the governance grains, and the co-hosted HTTP gateway.
    /// </summary>
    public static WebApplicationBuilder AddGovernanceSilo(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var storage = configuration.GetSection("Governance:Storage").Get<StorageOptions>() ?? new StorageOptions();
        var orleans = configuration.GetSection("Orleans").Get<OrleansOptions>() ?? new OrleansOptions();
        var provider = storage.Provider.ToLowerInvariant();
        string? connectionString = null;
        if (provider == StorageOptions.Postgres)
        {
            connectionString = configuration.GetConnectionString("Governance");
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException("Governance:Storage:Provider is 'postgres' but ConnectionStrings:Governance is not set.");
            }
        }
        else if (provider != StorageOptions.Memory)
        {
            throw new InvalidOperationException(
                $"Governance:Storage:Provider must be '{StorageOptions.Memory}' or '{StorageOptions.Postgres}', not '{storage.Provider}'.");
        }

        var tls = configuration.GetSection(ClusterTlsOptions.SectionName).Get<ClusterTlsOptions>() ?? new ClusterTlsOptions();
        var advertised = IPAddress.Parse(orleans.Endpoints.AdvertisedIPAddress ?? IPAddress.Loopback.ToString());
        // Localhost clustering listens on loopback whatever is advertised.
        ClusterTransportPolicy.Check(builder.Environment.IsDevelopment(), connectionString is null ? IPAddress.Loopback : advertised, tls);
        var certificate = tls.Enabled ? ClusterTls.LoadCertificate(tls) : null;

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = orleans.ClusterId;
                o.ServiceId = orleans.ServiceId;
            });
            silo.Configure<ClusterMembershipOptions>(MembershipDefaults.Apply);
            silo.Configure<ClusterMembershipOptions>(configuration.GetSection("Orleans:Membership"));
            if (connectionString is null)
            {
                silo.UseLocalhostClustering(orleans.Endpoints.SiloPort, orleans.Endpoints.GatewayPort);
                silo.UseInMemoryReminderService();
                silo.AddMemoryStreams(DriftStreams.ProviderName, stream => stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly));
                silo.AddGovernanceMemoryStorage();
                silo.Services.AddSingleton<IStreamSetAside>(new MemoryStreamSetAside());
            }
            else
            {
                silo.ConfigureEndpoints(advertised, orleans.Endpoints.SiloPort, orleans.Endpoints.GatewayPort, listenOnAnyHostAddress: false);
                if (storage.Migrate)
                {
                    silo.AddStartupTask<MigrationStartupTask>(ServiceLifecycleStage.RuntimeStorageServices);
                }

                silo.UseGovernancePostgresClustering(connectionString);
                silo.UseGovernancePostgresReminders(connectionString);
                silo.AddGovernancePostgresStorage(connectionString);
                silo.AddGovernancePostgresStreams(
                    DriftStreams.ProviderName, connectionString, streams =>
                    {
                        // A model's queued observations arrive together and are recorded in one write; the
                        // drift monitor isolates an observation that fails on its own.
                        streams.MaxEventsPerContainer = 64;
                        streams.MaxContainersPerDelivery = 64;
                        configuration.GetSection("Governance:Streams").Bind(streams);
                    });
                silo.Services.AddSingleton<IStreamSetAside>(sp => new PostgresStreamSetAside(
                    sp.GetRequiredKeyedService<NpgsqlDataSource>(GovernanceStorageNames.DataSource), DriftStreams.ProviderName, DriftQueueCount(sp)));
            }

            if (certificate is not null)
            {
                silo.UseTls(options => ClusterTls.Configure(options, certificate));
            }

            silo.AddGovernanceGrains(configuration);
        });

        builder.Services.AddGovernanceGateway(configuration);
        builder.Services.AddHealthChecks().AddCheck<SiloReadyCheck>("silo", tags: ["ready"]);

        // The silo resolves callers and approvers from the same principals the gateway knows.
        builder.Services.AddSingleton<IApproverDirectory>(sp => sp.GetRequiredService<PrincipalDirectory>());
        builder.Services.AddSingleton<ICallerDirectory>(sp => sp.GetRequiredService<PrincipalDirectory>());
        return builder;
    }

    /// <summary>The drift stream's queue count as configured: the queue a set-aside event is recorded under.</summary>
    private static int DriftQueueCount(IServiceProvider services) =>
        services.GetRequiredService<IOptionsMonitor<PostgresStreamOptions>>().Get(DriftStreams.ProviderName).QueueCount;
}
