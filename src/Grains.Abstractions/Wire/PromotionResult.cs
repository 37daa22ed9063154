namespace Governance.Grains.Wire;

/// <summary>The answer to a successful deployment.</summary>
[GenerateSerializer, Immutable, Alias("gov.PromotionResult")]
public sealed record PromotionResult(
    [property: Id(0)] string ModelId,
    [property: Id(1)] string ApprovalId,
    [property: Id(2)] string Environment,
    [property: Id(3)] string? Scope,
    [property: Id(4)] bool Promoted,
    [property: Id(5)] string PromotedAt,
    [property: Id(6)] string DeployedBy,
    [property: Id(7)] long EvidenceSeq);
