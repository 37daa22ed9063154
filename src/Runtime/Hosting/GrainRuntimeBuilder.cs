using Governance.Runtime.Activation;
using Governance.Runtime.Memory;
using Governance.Runtime.Postgres;
using Governance.Storage.Migrations;
using Governance.Runtime.Reminders;
using Governance.Runtime.Storage;
using Governance.Runtime.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Governance.Runtime.Hosting;

/// <summary>Registers grain classes and picks the storage provider.</summary>
public sealed class GrainRuntimeBuilder(IServiceCollection services, GrainRegistry registry)
{
    public IServiceCollection Services { get; } = services;

    public GrainRuntimeBuilder AddGrain<TGrainInterface, TGrain>()
        where TGrainInterface : class, IGrainWithStringKey
        where TGrain : class, TGrainInterface
    {
        registry.Add(typeof(TGrainInterface), typeof(TGrain));
        return this;
    }

    /// <summary>
    /// The grains behind <typeparamref name="TGrainInterface"/> receive every event of
    /// <paramref name="streamNamespace"/>, the grain keyed by each event's key (an implicit subscription).
    /// </summary>
    public GrainRuntimeBuilder AddStreamSubscription<TGrainInterface>(string streamNamespace)
        where TGrainInterface : class, IGrainWithStringKey
    {
        var typeName = registry.ForInterface(typeof(TGrainInterface)).TypeName;
        Services.AddSingleton(new StreamSubscription(streamNamespace, typeName));
        return this;
    }

    /// <summary>State, ledger and reminders in process memory: tests and the embedded default.</summary>
    public GrainRuntimeBuilder UseMemoryStorage()
    {
        Services.RemoveAll<IGrainStorage>();
        Services.RemoveAll<IReminderTable>();
        Services.RemoveAll<IStreamStore>();
        Services.AddSingleton<MemoryStore>();
        Services.AddSingleton<IStreamStore, MemoryStreamStore>();
        Services.AddSingleton<IGrainStorage>(sp => sp.GetRequiredService<MemoryStore>());
        Services.AddSingleton<IReminderTable>(sp => sp.GetRequiredService<MemoryStore>());
        return this;
    }

    /// <summary>State, ledger and reminders in PostgreSQL through one shared data source.</summary>
    public GrainRuntimeBuilder UsePostgresStorage(string connectionString, bool migrate = true)
    {
        Services.RemoveAll<IGrainStorage>();
        Services.RemoveAll<IReminderTable>();
        Services.RemoveAll<IStreamStore>();
        Services.TryAddSingleton(sp =>
        {
            var builder = new NpgsqlDataSourceBuilder(connectionString);

            // Two defaults, unless the connection string gives the option itself. The same few
            // statements run all the time: let Npgsql prepare them. Nothing here leaves session state
            // behind (advisory locks are transaction-scoped), so a pooled connection need not be reset
            // on each reuse (five statements each time).
            var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
            if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
            {
                builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
            }

            if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
            {
                builder.ConnectionStringBuilder.NoResetOnClose = true;
            }

            return builder.UseLoggerFactory(sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>()).Build();
        });
        Services.AddSingleton<PostgresStore>();
        Services.AddSingleton<IGrainStorage>(sp => sp.GetRequiredService<PostgresStore>());
        Services.AddSingleton<IReminderTable>(sp => sp.GetRequiredService<PostgresStore>());
        Services.AddSingleton<IStreamStore, PostgresStreamStore>();
        Services.AddHostedService<PostgresStreamListener>();
        Services.AddSingleton<PostgresMigrator>();
        if (migrate)
        {
            Services.AddSingleton<IStorageInitializer, PostgresMigrationInitializer>();
        }

        return this;
    }
}
