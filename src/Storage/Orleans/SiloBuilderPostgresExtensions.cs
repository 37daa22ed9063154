using Orleans.Configuration;
using Orleans.Hosting;

namespace Governance.Storage;

/// <summary>
/// Orleans' ADO.NET membership and reminder providers on the product's PostgreSQL schema (migration
/// 0005 creates the tables and the <c>OrleansQuery</c> rows they read; run the migrator first).
/// </summary>
/// <remarks>
/// The providers' SQL is unqualified, so it runs in the connection's current schema: put
/// <c>Search Path=&lt;schema&gt;</c> in <paramref name="connectionString"/> to use a schema other than
/// the server's default. The silos of one cluster must share <c>ClusterOptions.ClusterId</c>
/// (membership rows are keyed by it) and <c>ClusterOptions.ServiceId</c> (reminder rows are).
/// </remarks>
public static class SiloBuilderPostgresExtensions
{
    /// <summary>Membership (and the gateway list its clients read) in PostgreSQL.</summary>
    public static ISiloBuilder UseGovernancePostgresClustering(this ISiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseAdoNetClustering((AdoNetClusteringSiloOptions options) =>
        {
            options.Invariant = OrleansAdoNetInvariant.Npgsql;
            options.ConnectionString = connectionString;
        });
    }

    /// <summary>Durable reminders in PostgreSQL (this also adds Orleans' reminder service).</summary>
    public static ISiloBuilder UseGovernancePostgresReminders(this ISiloBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseAdoNetReminderService((AdoNetReminderTableOptions options) =>
        {
            options.Invariant = OrleansAdoNetInvariant.Npgsql;
            options.ConnectionString = connectionString;
        });
    }
}
