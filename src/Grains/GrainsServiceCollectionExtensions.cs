using Governance.Grains.Drift;
using Governance.Grains.Keys;
using Governance.Grains.Models;
using Governance.Grains.Policy;
using Governance.Runtime.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Governance.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>Registers the governance grains and their domain services with the runtime.</summary>
    public static GrainRuntimeBuilder AddGovernanceGrains(this GrainRuntimeBuilder builder)
    {
        builder.AddGrain<IModelGovernanceGrain, ModelGovernanceGrain>();
        builder.AddGrain<IApproverKeysGrain, ApproverKeysGrain>();
        builder.AddGrain<IPublicKeyIndexGrain, PublicKeyIndexGrain>();
        builder.AddGrain<IDriftMonitorGrain, DriftMonitorGrain>();
        builder.AddStreamSubscription<IDriftMonitorGrain>(DriftStreams.Namespace);
        builder.Services.AddOptions<DriftAlertOptions>()
            .Validate(o => o.IsValid(), "Governance:Drift: AlertWebhookUrl must be an absolute http(s) URL; attempts, backoff and timeout positive.")
            .ValidateOnStart();
        builder.Services.AddHttpClient(WebhookDriftAlertSink.HttpClientName);
        builder.Services.TryAddSingleton<WebhookDriftAlertSink>();
        builder.Services.TryAddSingleton<IDriftAlertSink>(sp => sp.GetRequiredService<WebhookDriftAlertSink>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookDriftAlertSink>());
        builder.Services.TryAddSingleton<IPolicyCatalog>(sp =>
            sp.GetRequiredService<IOptions<PolicyOptions>>().Value.File is { Length: > 0 } file
                ? new FilePolicyCatalog(file)
                : new BuiltInPolicyCatalog());
        builder.Services.AddHostedService<PolicyCatalogStartupCheck>();
        builder.Services.TryAddSingleton<IModelDirectory, ModelDirectory>();
        return builder;
    }
}
