using Governance.Grains;

namespace Governance.Client;

/// <summary>
/// How a .NET service reaches the governance cluster (DESIGN §4 "Client", §7): section
/// <c>Governance:Client</c>, the connection string <c>ConnectionStrings:Governance</c> and the silos'
/// <c>Orleans:ClusterId</c> / <c>Orleans:ServiceId</c>.
/// </summary>
public sealed class GovernanceClientOptions
{
    public const string SectionName = "Governance:Client";

    /// <summary>The gateway used when neither a connection string nor gateways are given.</summary>
    public const string DefaultGateway = "127.0.0.1:30000";

    /// <summary>
    /// The service's bearer token. Every grain call carries it unless the calling code set a token of
    /// its own (<c>CallerToken.Set</c>); null sends none (the HTTP gateway passes each request's token).
    /// </summary>
    public string? Token { get; set; }

    /// <summary>
    /// The cluster's PostgreSQL (an Npgsql connection string): the client reads the live gateways from
    /// its membership table. Takes precedence over <see cref="Gateways"/>.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Static silo gateway endpoints as <c>host:port</c>, used without a connection string.</summary>
    public IList<string> Gateways { get; set; } = [];

    public string ClusterId { get; set; } = ClusterNames.DefaultClusterId;

    public string ServiceId { get; set; } = ClusterNames.DefaultServiceId;

    /// <summary>How long start-up keeps trying to reach a gateway before it fails.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Attempts of a query (verify, reads) through <see cref="GovernanceClient"/> when the cluster did
    /// not answer; commands are never repeated (see <see cref="GovernanceOutcomeUnknownException"/>).
    /// </summary>
    public int QueryAttempts { get; set; } = 3;
}
