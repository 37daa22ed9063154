using Governance.Grains.Drift;
using Governance.Grains.Expiry;
using Governance.Grains.Keys;
using Governance.Grains.Policy;
using Governance.Storage;
using Governance.Storage.Streams;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Governance.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the governance domain to a silo: the caller filter, the expiry catch-up, and the domain
    /// services of the grains, configured from <paramref name="configuration"/>. The grain classes
    /// themselves are found by Orleans in this assembly.
    /// </summary>
    public static ISiloBuilder AddGovernanceGrains(this ISiloBuilder builder, IConfiguration configuration)
    {
        builder.AddIncomingGrainCallFilter<CallerFilter>();
        builder.AddGrainService<ExpiryCatchUpService>();
        builder.Services.TryAddSingleton<ApproverKeysReferences>();
        builder.Services.AddGovernanceDomain(configuration);
        return builder;
    }

    /// <summary>
    /// The domain services the grains use (policies, drift alerts, the domain clock, how states and
    /// drift events are serialized), configured from <paramref name="configuration"/>.
    /// </summary>
    public static IServiceCollection AddGovernanceDomain(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddKeyedSingleton(GovernanceClock.ServiceKey, TimeProvider.System);
        services.Configure<GovernanceStorageOptions>(o => o.SerializerOptions = GrainStateJsonContext.Default.Options);
        services.TryAddSingleton<IStreamPayloadCodec, DriftObservationCodec>();
        services.AddOptions<DriftDeliveryOptions>().Bind(configuration.GetSection("Governance:Streams"))
            .Validate(o => o.MaxDeliveryAttempts >= 1, "Governance:Streams:MaxDeliveryAttempts must be at least 1.").ValidateOnStart();
        services.AddOptions<ExpiryCatchUpOptions>().Bind(configuration.GetSection("Governance:Expiry"))
            .Validate(o => o.Interval > TimeSpan.Zero && o.RetryInterval > TimeSpan.Zero && o.BatchSize > 0, "Governance:Expiry: Interval, RetryInterval and BatchSize must be positive.").ValidateOnStart();
        services.AddOptions<PolicyOptions>().Bind(configuration.GetSection("Governance:Policy"));
        services.AddOptions<DriftAlertOptions>().Bind(configuration.GetSection("Governance:Drift"))
            .Validate(o => o.IsValid(), "Governance:Drift: AlertWebhookUrl must be an absolute http(s) URL; attempts, backoff and timeout positive.")
            .ValidateOnStart();
        services.AddHttpClient(WebhookDriftAlertSink.HttpClientName);
        services.TryAddSingleton<WebhookDriftAlertSink>();
        services.TryAddSingleton<IDriftAlertSink>(sp => sp.GetRequiredService<WebhookDriftAlertSink>());
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDriftAlertSink>());
        services.TryAddSingleton<IPolicyCatalog>(sp =>
            sp.GetRequiredService<IOptions<PolicyOptions>>().Value.File is { Length: > 0 } file
                ? new FilePolicyCatalog(file)
                : new BuiltInPolicyCatalog());
        services.AddHostedService<PolicyCatalogStartupCheck>();
        return services;
    }
}
