namespace Governance.Grains.Wire;

/// <summary>
/// The answer to a verify question. A denial is an answer too: <see cref="Reason"/> carries the
/// code of the first gate that failed, or <c>approved</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("gov.VerifyDecision")]
public sealed record VerifyDecision(
    [property: Id(0)] string? ModelId, [property: Id(1)] bool Allowed, [property: Id(2)] string Reason, [property: Id(3)] string? Status, [property: Id(4)] string? ApprovalId, [property: Id(5)] string? ExpiresAt);
