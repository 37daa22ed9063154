namespace Governance.Gateway.Authentication;

/// <summary>The principals the gateway accepts (section <c>Governance</c>).</summary>
public sealed class GatewayAuthOptions
{
    /// <summary>Configured principals. Default: none (every request is 401).</summary>
    public List<PrincipalOptions> Principals { get; set; } = [];
}
