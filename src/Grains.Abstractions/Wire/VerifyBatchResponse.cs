namespace Governance.Grains.Wire;

/// <summary>Decisions in the order of the batch's items.</summary>
public sealed record VerifyBatchResponse(IReadOnlyList<VerifyDecision> Decisions);
