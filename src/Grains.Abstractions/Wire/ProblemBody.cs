namespace Governance.Grains.Wire;

/// <summary>RFC 9457 problem details with the stable <c>code</c> (and the field when there is one).</summary>
[GenerateSerializer, Alias("gov.ProblemBody")]
public sealed record ProblemBody(
    [property: Id(0)] string Type,
    [property: Id(1)] string Title,
    [property: Id(2)] int Status,
    [property: Id(3)] string Detail,
    [property: Id(4)] string Code,
    [property: Id(5)] string? Field,
    [property: Id(6)] IReadOnlyList<PolicyFailure>? Failures);
