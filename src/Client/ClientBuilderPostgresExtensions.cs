using Orleans.Configuration;
using Orleans.Hosting;

namespace Governance.Client;

/// <summary>
/// An Orleans client that finds its gateways in the PostgreSQL membership table the silos write
/// (Governance.Storage's <c>UseGovernancePostgresClustering</c>). Orleans loads Npgsql by its ADO.NET
/// invariant name; the package only has to be in the output.
/// </summary>
public static class ClientBuilderPostgresExtensions
{
    /// <summary>
    /// The ADO.NET gateway list: the active silos of the client's <c>ClusterOptions.ClusterId</c>,
    /// read from the current schema of <paramref name="connectionString"/> (see its <c>Search Path</c>).
    /// </summary>
    public static IClientBuilder UseGovernancePostgresClustering(this IClientBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UseAdoNetClustering((AdoNetClusteringClientOptions options) =>
        {
            options.Invariant = "Npgsql";
            options.ConnectionString = connectionString;
        });
    }
}
