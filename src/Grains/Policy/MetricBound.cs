namespace Governance.Grains.Policy;

/// <summary>Inclusive bounds on one training metric; a missing metric fails.</summary>
public sealed record MetricBound(double? Min, double? Max);
