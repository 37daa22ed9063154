namespace Governance.Grains.Wire;

/// <summary>One row of the model listing.</summary>
public sealed record ModelSummary(string ModelId, string Status, string? ApprovalId, string? ExpiresAt);
