namespace Governance.Grains.Wire;

/// <summary>One promotion of an approval to an environment and scope.</summary>
public sealed record DeploymentView(string Environment, string? Scope, string DeployedBy, string DeployedAt, long EvidenceSeq);
