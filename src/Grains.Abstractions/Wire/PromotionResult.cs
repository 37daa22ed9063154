namespace Governance.Grains.Wire;

/// <summary>The answer to a successful deployment.</summary>
public sealed record PromotionResult(
    string ModelId,
    string ApprovalId,
    string Environment,
    string? Scope,
    bool Promoted,
    string PromotedAt,
    string DeployedBy,
    long EvidenceSeq);
