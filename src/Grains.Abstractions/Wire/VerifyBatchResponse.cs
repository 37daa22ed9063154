namespace Governance.Grains.Wire;

/// <summary>Decisions in the order of the batch's items.</summary>
[GenerateSerializer, Immutable, Alias("gov.VerifyBatchResponse")]
public sealed record VerifyBatchResponse([property: Id(0)] IReadOnlyList<VerifyDecision> Decisions);
