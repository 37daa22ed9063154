namespace Governance.Grains.Wire;

/// <summary>One failed policy rule: what was checked, what was seen, and the bound.</summary>
[GenerateSerializer, Immutable, Alias("gov.PolicyFailure")]
public sealed record PolicyFailure([property: Id(0)] string Rule, [property: Id(1)] string? Observed, [property: Id(2)] string? Bound, [property: Id(3)] string Message);
