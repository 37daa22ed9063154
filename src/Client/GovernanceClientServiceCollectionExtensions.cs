using Governance.Grains;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Governance.Client;

public static class GovernanceClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds an Orleans client of the governance cluster and <see cref="GovernanceClient"/>. Settings are
    /// read in this order, each overriding the one before: <c>Orleans:ClusterId</c> /
    /// <c>Orleans:ServiceId</c> and the section <c>Governance:Client</c>, then
    /// <c>ConnectionStrings:Governance</c>, then <paramref name="configure"/>. With a connection
    /// string the client finds the silos in the cluster's membership table; otherwise it uses
    /// <c>Governance:Client:Gateways</c>, or <c>127.0.0.1:30000</c> when none is given.
    /// </summary>
    public static IServiceCollection AddGovernanceClient(
        this IServiceCollection services, IConfiguration configuration, Action<GovernanceClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new GovernanceClientOptions
        {
            ClusterId = configuration["Orleans:ClusterId"] ?? ClusterNames.DefaultClusterId,
            ServiceId = configuration["Orleans:ServiceId"] ?? ClusterNames.DefaultServiceId,
        };
        configuration.GetSection(GovernanceClientOptions.SectionName).Bind(options);
        if (configuration.GetConnectionString("Governance") is { Length: > 0 } connectionString)
        {
            options.ConnectionString = connectionString;
        }

        configure?.Invoke(options);
        Validate(options);

        var tls = configuration.GetSection(ClusterTlsOptions.SectionName).Get<ClusterTlsOptions>() ?? new ClusterTlsOptions();
        var certificate = tls.Enabled ? ClusterTls.LoadCertificate(tls) : null;

        services.AddSingleton(Options.Create(options));
        services.AddOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(cluster =>
            {
                cluster.ClusterId = options.ClusterId;
                cluster.ServiceId = options.ServiceId;
            });
            // A silo that joined is used within seconds, not after Orleans' default minute.
            client.Configure<GatewayOptions>(gateways => gateways.GatewayListRefreshPeriod = TimeSpan.FromSeconds(10));
            if (!string.IsNullOrEmpty(options.ConnectionString))
            {
                client.UseGovernancePostgresClustering(options.ConnectionString);
            }
            else
            {
                client.UseStaticClustering(GatewayEndpoints.Resolve(options.Gateways.Count > 0 ? options.Gateways : [GovernanceClientOptions.DefaultGateway]));
            }

            if (certificate is not null)
            {
                client.UseTls(tlsOptions => ClusterTls.Configure(tlsOptions, certificate));
            }

            if (!string.IsNullOrEmpty(options.Token))
            {
                client.AddOutgoingGrainCallFilter(new CallerTokenFilter(options.Token));
            }

            client.Services.AddSingleton<IClientConnectionRetryFilter>(sp => new ConnectRetryFilter(
                options.ConnectTimeout, TimeProvider.System, sp.GetRequiredService<ILogger<ConnectRetryFilter>>()));
            client.Services.AddSingleton<IClusterConnectionStatusObserver>(sp => sp.GetRequiredService<ClusterConnectionStatus>());
        });
        services.AddSingleton<ClusterConnectionStatus>();
        services.AddSingleton<GovernanceClient>();
        return services;
    }

    private static void Validate(GovernanceClientOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ClusterId) || string.IsNullOrWhiteSpace(options.ServiceId))
        {
            throw new InvalidOperationException("Orleans:ClusterId and Orleans:ServiceId must not be empty.");
        }

        if (options.QueryAttempts < 1)
        {
            throw new InvalidOperationException($"{GovernanceClientOptions.SectionName}:QueryAttempts must be at least 1.");
        }

        if (options.ConnectTimeout < TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{GovernanceClientOptions.SectionName}:ConnectTimeout must not be negative.");
        }
    }
}
