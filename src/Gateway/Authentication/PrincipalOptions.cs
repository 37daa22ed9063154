namespace Governance.Gateway.Authentication;

/// <summary>One configured principal: <c>Governance:Principals:N</c>.</summary>
public sealed class PrincipalOptions
{
    /// <summary>The principal id (the actor in the ledger).</summary>
    public string Id { get; set; } = "";

    /// <summary>Roles: trainer, approver, deployer, monitor, auditor, admin, registry.</summary>
    public List<string> Roles { get; set; } = [];

    /// <summary>Lowercase hex SHA-256 of the bearer token; the token itself is never stored.</summary>
    public string TokenSha256 { get; set; } = "";
}
