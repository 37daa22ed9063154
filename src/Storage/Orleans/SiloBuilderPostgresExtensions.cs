using Governance.Storage.Postgres;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Governance.Storage;

/// <summary>
/// Orleans' ADO.NET membership and reminder providers on the product's PostgreSQL schema (migration
/// 0005 creates the tables and the <c>OrleansQuery</c> rows they read; run the migrator first).
/// </summary>
/// <remarks>
/// Both open their connections from the keyed data source <see cref="GovernanceStorageNames.DataSource"/>
/// (<see cref="AdoNetClusteringSiloOptions.DataSource"/>, <see cref="AdoNetReminderTableOptions.DataSource"/>),
/// which they register on <c>connectionString</c> unless one is registered already: with the grain storage
/// and the migrator on the same one, a silo loads the server's types and opens its first connections once,
/// not once per provider. The providers' SQL is unqualified, so it runs in the connection's current schema:
/// put <c>Search Path=&lt;schema&gt;</c> in the connection string to use a schema other than the server's
/// default. The silos of one cluster must share <c>ClusterOptions.ClusterId</c> (membership rows are keyed
/// by it) and <c>ClusterOptions.ServiceId</c> (reminder rows are).
/// </remarks>
public static class SiloBuilderPostgresExtensions
{
    /// <summary>Membership (and the gateway list its clients read) in PostgreSQL.</summary>
    public static ISiloBuilder UseGovernancePostgresClustering(this ISiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        GovernanceDataSource.TryAdd(builder.Services, connectionString);
        return builder.UseAdoNetClustering(options => options.Configure<IServiceProvider>((o, provider) =>
        {
            o.Invariant = OrleansAdoNetInvariant.Npgsql;
            o.DataSource = GovernanceDataSource.From(provider);
        }));
    }

    /// <summary>Durable reminders in PostgreSQL (this also adds Orleans' reminder service).</summary>
    public static ISiloBuilder UseGovernancePostgresReminders(this ISiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        GovernanceDataSource.TryAdd(builder.Services, connectionString);
        return builder.UseAdoNetReminderService(options => options.Configure<IServiceProvider>((o, provider) =>
        {
            o.Invariant = OrleansAdoNetInvariant.Npgsql;
            o.DataSource = GovernanceDataSource.From(provider);
        }));
    }
}
