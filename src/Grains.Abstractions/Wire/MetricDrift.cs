namespace Governance.Grains.Wire;

/// <summary>
/// One compared metric: <see cref="Change"/> is the relative loss increase for <c>loss</c> and the
/// serving/training ratio for <c>accuracy</c>.
/// </summary>
public sealed record MetricDrift(double Training, double Serving, double Change, double Threshold, bool Drifted, double Severity);
