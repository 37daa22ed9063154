namespace Governance.Grains.Wire;

/// <summary>
/// The answer to a verify question. A denial is an answer too: <see cref="Reason"/> carries the
/// code of the first gate that failed, or <c>approved</c>.
/// </summary>
public sealed record VerifyDecision(
    string? ModelId, bool Allowed, string Reason, string? Status, string? ApprovalId, string? ExpiresAt);
