namespace Governance.Grains.Wire;

/// <summary>One failed policy rule: what was checked, what was seen, and the bound.</summary>
public sealed record PolicyFailure(string Rule, string? Observed, string? Bound, string Message);
