namespace Governance.Grains.Wire;

/// <summary>One promotion of an approval to an environment and scope.</summary>
[GenerateSerializer, Immutable, Alias("gov.DeploymentView")]
public sealed record DeploymentView([property: Id(0)] string Environment, [property: Id(1)] string? Scope, [property: Id(2)] string DeployedBy, [property: Id(3)] string DeployedAt, [property: Id(4)] long EvidenceSeq);
