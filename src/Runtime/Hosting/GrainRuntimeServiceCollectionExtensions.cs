using Governance.Runtime.Activation;
using Governance.Runtime.Reminders;
using Governance.Runtime.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Governance.Runtime.Hosting;

public static class GrainRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the grain runtime of a silo: activations, turns, reminders and storage (memory unless
    /// the builder picks another provider).
    /// </summary>
    public static GrainRuntimeBuilder AddGrainRuntime(this IServiceCollection services)
    {
        var registry = new GrainRegistry();
        services.AddSingleton(registry);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<GrainCollectionOptions>()
            .Validate(o => o.IsValid(out _), "Invalid grain collection options.")
            .ValidateOnStart();
        services.AddOptions<ReminderOptions>()
            .Validate(o => o.IsValid(out _), "Invalid reminder options.")
            .ValidateOnStart();
        services.AddMetrics();
        services.AddSingleton(sp =>
        {
            var catalog = ActivatorUtilities.CreateInstance<GrainCatalog>(sp);
            catalog.ObserveActivations();
            return catalog;
        });
        services.AddSingleton<GrainDispatcher>();
        services.AddSingleton<IGrainFactory, LocalGrainFactory>();
        services.TryAddSingleton<IPartitionOwnership, AllPartitionsOwnership>();

        // Start order matters: storage is ready before reminders fire and before the server listens.
        services.AddHostedService<StorageInitializationService>();
        services.AddHostedService<ActivationCollector>();
        services.AddSingleton<ReminderService>();
        services.AddHostedService(sp => sp.GetRequiredService<ReminderService>());
        services.AddOptions<StreamOptions>()
            .Validate(o => o.IsValid(), "Invalid stream options.")
            .ValidateOnStart();
        services.AddSingleton<StreamWakeups>();
        services.AddSingleton<StreamAppender>();
        services.AddSingleton<IStreamProducer>(sp => sp.GetRequiredService<StreamAppender>());
        services.AddHostedService(sp => sp.GetRequiredService<StreamAppender>());
        services.AddHostedService<StreamPump>();
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);

        var builder = new GrainRuntimeBuilder(services, registry);
        builder.UseMemoryStorage();
        return builder;
    }
}
