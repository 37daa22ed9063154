namespace Governance.Grains.Wire;

/// <summary>
/// One compared metric: <see cref="Change"/> is the relative loss increase for <c>loss</c> and the
/// serving/training ratio for <c>accuracy</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("gov.MetricDrift")]
public sealed record MetricDrift([property: Id(0)] double Training, [property: Id(1)] double Serving, [property: Id(2)] double Change, [property: Id(3)] double Threshold, [property: Id(4)] bool Drifted, [property: Id(5)] double Severity);
