using Governance.Storage.Memory;
using Governance.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Governance.Storage;

/// <summary>
/// Registers the <c>governance</c> grain storage (<see cref="GovernanceStorageNames.GrainStorage"/>, a keyed
/// <see cref="IGrainStorage"/>) with its <see cref="ILedgerReader"/>, <see cref="IGrainStateListing"/> and
/// <see cref="IGovernanceStorageHealth"/> singletons on the same store. Register one twin per silo; a
/// later registration replaces an earlier one for every one of these services.
/// </summary>
public static class GovernanceStorageSiloBuilderExtensions
{
    /// <summary>The memory twin, on <paramref name="store"/> (a new one when null: one per call).</summary>
    /// <remarks>Pass the same <see cref="MemoryEvidenceStore"/> to every silo of an in-process cluster that should share state.</remarks>
    public static ISiloBuilder AddGovernanceMemoryStorage(
        this ISiloBuilder builder, MemoryEvidenceStore? store = null, Action<GovernanceStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        store ??= new MemoryEvidenceStore();
        AddOptions(services, configure);
        services.AddGrainStorage(
            GovernanceStorageNames.GrainStorage,
            (provider, _) => new MemoryEvidenceGrainStorage(store, provider.GetRequiredService<IOptions<GovernanceStorageOptions>>().Value));
        services.AddSingleton<ILedgerReader>(new MemoryLedgerReader(store));
        services.AddSingleton<IGrainStateListing>(new MemoryGrainStateListing(store));
        AddHealth(services);
        return builder;
    }

    /// <summary>
    /// The PostgreSQL twin on the keyed <see cref="NpgsqlDataSource"/> <see cref="GovernanceStorageNames.DataSource"/>,
    /// which this registers from <paramref name="connectionString"/> unless one is registered already.
    /// </summary>
    /// <remarks>The schema must be migrated (<c>PostgresMigrator</c>) before the first grain reads.</remarks>
    public static ISiloBuilder AddGovernancePostgresStorage(
        this ISiloBuilder builder, string connectionString, Action<GovernanceStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        GovernanceDataSource.TryAdd(builder.Services, connectionString);
        return builder.AddGovernancePostgresStorage(configure);
    }

    /// <summary>As <see cref="AddGovernancePostgresStorage(ISiloBuilder, string, Action{GovernanceStorageOptions}?)"/>, registering <paramref name="dataSource"/> unless a data source is registered already.</summary>
    /// <remarks>The caller keeps ownership of <paramref name="dataSource"/> and disposes it.</remarks>
    public static ISiloBuilder AddGovernancePostgresStorage(
        this ISiloBuilder builder, NpgsqlDataSource dataSource, Action<GovernanceStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        builder.Services.TryAddKeyedSingleton(GovernanceStorageNames.DataSource, dataSource);
        return builder.AddGovernancePostgresStorage(configure);
    }

    /// <summary>The PostgreSQL twin on the keyed <see cref="NpgsqlDataSource"/> <see cref="GovernanceStorageNames.DataSource"/>, registered by the host.</summary>
    public static ISiloBuilder AddGovernancePostgresStorage(this ISiloBuilder builder, Action<GovernanceStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        AddOptions(services, configure);
        services.AddGrainStorage(
            GovernanceStorageNames.GrainStorage,
            (provider, _) => new PostgresGrainStorage(DataSource(provider), provider.GetRequiredService<IOptions<GovernanceStorageOptions>>().Value));
        services.AddSingleton<ILedgerReader>(provider => new PostgresLedgerReader(DataSource(provider)));
        services.AddSingleton<IGrainStateListing>(provider => new PostgresGrainStateListing(DataSource(provider)));
        AddHealth(services);
        return builder;
    }

    private static NpgsqlDataSource DataSource(IServiceProvider provider) => GovernanceDataSource.From(provider);

    private static void AddOptions(IServiceCollection services, Action<GovernanceStorageOptions>? configure)
    {
        var options = services.AddOptions<GovernanceStorageOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }
    }

    private static void AddHealth(IServiceCollection services) =>
        services.AddSingleton(provider =>
            (IGovernanceStorageHealth)provider.GetRequiredKeyedService<IGrainStorage>(GovernanceStorageNames.GrainStorage));
}
