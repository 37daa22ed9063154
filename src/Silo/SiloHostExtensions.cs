using Governance.Gateway;
using Governance.Gateway.Authentication;
using Governance.Grains;
using Governance.Grains.Drift;
using Governance.Grains.Policy;
using Governance.Runtime.Activation;
using Governance.Runtime.Hosting;
using Governance.Runtime.Reminders;
using Governance.Runtime.Streams;

namespace Governance.Silo;

public static class SiloHostExtensions
{
    /// <summary>
    /// Configures a silo from configuration: the grain runtime with the chosen storage provider, the
    /// governance grains, and the co-hosted HTTP gateway.
    /// </summary>
    public static WebApplicationBuilder AddGovernanceSilo(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var storage = configuration.GetSection("Governance:Storage").Get<StorageOptions>() ?? new StorageOptions();
        var runtime = builder.Services.AddGrainRuntime().AddGovernanceGrains();
        switch (storage.Provider.ToLowerInvariant())
        {
            case StorageOptions.Memory:
                runtime.UseMemoryStorage();
                break;
            case StorageOptions.Postgres:
                var connectionString = configuration.GetConnectionString("Governance");
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        "Governance:Storage:Provider is 'postgres' but ConnectionStrings:Governance is not set.");
                }

                runtime.UsePostgresStorage(connectionString, storage.Migrate);
                break;
            default:
                throw new InvalidOperationException(
                    $"Governance:Storage:Provider must be '{StorageOptions.Memory}' or '{StorageOptions.Postgres}', not '{storage.Provider}'.");
        }

        builder.Services.AddOptions<GrainCollectionOptions>().Bind(configuration.GetSection("Governance:Activations"));
        builder.Services.AddOptions<ReminderOptions>().Bind(configuration.GetSection("Governance:Reminders"));
        builder.Services.AddOptions<StreamOptions>().Bind(configuration.GetSection("Governance:Streams"));
        builder.Services.AddOptions<PolicyOptions>().Bind(configuration.GetSection("Governance:Policy"));
        builder.Services.AddOptions<DriftAlertOptions>().Bind(configuration.GetSection("Governance:Drift"));
        builder.Services.AddGovernanceGateway(configuration);

        // The grains register keys for configured approvers only: the principals the gateway knows.
        builder.Services.AddSingleton<IApproverDirectory>(sp => sp.GetRequiredService<PrincipalDirectory>());
        return builder;
    }
}
