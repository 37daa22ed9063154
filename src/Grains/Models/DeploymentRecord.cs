namespace Governance.Grains.Models;

/// <summary>One promotion of the approval.</summary>
public sealed record DeploymentRecord(
    string Environment, string? Scope, string DeployedBy, DateTimeOffset DeployedAt, long EvidenceSeq);
