namespace Governance.Grains.Wire;

/// <summary>RFC 9457 problem details with the stable <c>code</c> (and the field when there is one).</summary>
public sealed record ProblemBody(
    string Type,
    string Title,
    int Status,
    string Detail,
    string Code,
    string? Field,
    IReadOnlyList<PolicyFailure>? Failures);
