using Governance.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Streams;

namespace Governance.Storage.Streams;

/// <summary>
/// Registers a PostgreSQL stream provider (<see cref="PostgresQueueAdapterFactory"/>) on a silo, which
/// produces and consumes, or on a client, which produces. Both need an <see cref="IStreamPayloadCodec"/>
/// in DI. The schema (migration 0007) must be migrated beforehand.
/// </summary>
public static class PostgresStreamHostingExtensions
{
    /// <summary>
    /// Adds persistent stream provider <paramref name="name"/> (usually
    /// <see cref="GovernanceStorageNames.StreamProvider"/>) over the PostgreSQL log at
    /// <paramref name="connectionString"/>, with Orleans' pulling agent set from the options
    /// (<see cref="PostgresStreamOptions.PullingPeriod"/>, <see cref="PostgresStreamOptions.MaxEventDeliveryTime"/>,
    /// <see cref="PostgresStreamOptions.MaxContainersPerDelivery"/>).
    /// </summary>
    public static ISiloBuilder AddGovernancePostgresStreams(
        this ISiloBuilder builder, string name, string connectionString, Action<PostgresStreamOptions>? configure = null)
    {
        AddServices(builder.Services, name, connectionString, configure);
        return builder.AddPersistentStreams(name, PostgresQueueAdapterFactory.Create, stream =>
        {
            // Consumers subscribe implicitly: no pub-sub grain state to keep or lose.
            stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            stream.ConfigurePullingAgent(agent => agent.Configure<IOptionsMonitor<PostgresStreamOptions>>((options, monitor) =>
            {
                var ours = monitor.Get(name);
                options.GetQueueMsgsTimerPeriod = ours.PullingPeriod;
                options.MaxEventDeliveryTime = ours.MaxEventDeliveryTime;
                options.BatchContainerBatchSize = ours.MaxContainersPerDelivery;
            }));
        });
    }

    /// <summary>Adds stream provider <paramref name="name"/> to a client, to produce into the PostgreSQL log.</summary>
    public static IClientBuilder AddGovernancePostgresStreams(
        this IClientBuilder builder, string name, string connectionString, Action<PostgresStreamOptions>? configure = null)
    {
        AddServices(builder.Services, name, connectionString, configure);
        return builder.AddPersistentStreams(name, PostgresQueueAdapterFactory.Create, stream => stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly));
    }

    internal static string DataSourceKey(string name) => "governance-streams:" + name;

    private static void AddServices(IServiceCollection services, string name, string connectionString, Action<PostgresStreamOptions>? configure)
    {
        services.AddOptions<PostgresStreamOptions>(name).Configure(options => configure?.Invoke(options)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresStreamOptions>, PostgresStreamOptionsValidator>());
        // As the grain storage's: the provider's few statements are prepared, and they leave no session state
        // behind, so a pooled connection needs no DISCARD ALL before its next use (the listener's connection goes
        // back only when it stops or fails; still listening, it would only drop notifications nobody handles).
        services.AddKeyedSingleton(DataSourceKey(name), (_, _) => GovernanceDataSource.Create(connectionString));
    }
}
