using Governance.Client;

namespace Governance.Gateway.Host;

public static class StandaloneGatewayExtensions
{
    /// <summary>
    /// The HTTP API on an Orleans client of the cluster (DESIGN §4 "Gateway", §7): the silos are found
    /// through <c>ConnectionStrings:Governance</c> or <c>Governance:Client:Gateways</c>, each request's
    /// bearer token travels with its grain calls, and ready means connected to at least one silo.
    /// </summary>
    public static WebApplicationBuilder AddGovernanceStandaloneGateway(this WebApplicationBuilder builder)
    {
        // The gateway acts only for its callers: a token of its own would lend them its roles.
        builder.Services.AddGovernanceClient(builder.Configuration, client => client.Token = null);
        builder.Services.AddGovernanceGateway(builder.Configuration);
        builder.Services.AddHealthChecks().AddCheck<ClusterConnectionCheck>("cluster", tags: ["ready"]);
        return builder;
    }
}
