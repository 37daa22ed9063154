using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Governance.Storage.Postgres;

/// <summary>The data source of the grain storage, with two defaults unless the connection string gives the option itself.</summary>
public static class GovernanceDataSource
{
    public static NpgsqlDataSource Create(string connectionString, ILoggerFactory? loggers = null)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };

        // The same few statements run all the time: let Npgsql prepare them.
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        }

        // The storage leaves no session state behind (its locks are transaction-scoped), so a pooled
        // connection need not be reset on each reuse.
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.ConnectionStringBuilder.NoResetOnClose = true;
        }

        return builder.UseLoggerFactory(loggers).Build();
    }

    /// <summary>
    /// Registers the keyed data source <see cref="GovernanceStorageNames.DataSource"/> on
    /// <paramref name="connectionString"/> unless one is registered already (the first registration wins).
    /// </summary>
    internal static void TryAdd(IServiceCollection services, string connectionString) =>
        services.TryAddKeyedSingleton(
            GovernanceStorageNames.DataSource, (provider, _) => Create(connectionString, provider.GetService<ILoggerFactory>()));

    /// <summary>The keyed data source <see cref="GovernanceStorageNames.DataSource"/>.</summary>
    internal static NpgsqlDataSource From(IServiceProvider provider) =>
        provider.GetRequiredKeyedService<NpgsqlDataSource>(GovernanceStorageNames.DataSource);
}
