namespace Governance.Grains.Wire;

/// <summary>One row of the model listing.</summary>
[GenerateSerializer, Immutable, Alias("gov.ModelSummary")]
public sealed record ModelSummary([property: Id(0)] string ModelId, [property: Id(1)] string Status, [property: Id(2)] string? ApprovalId, [property: Id(3)] string? ExpiresAt);
