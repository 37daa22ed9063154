namespace Governance.Grains.Wire;

/// <summary>
/// The outcome of comparing an observation with the training baseline (DESIGN §5.5): metric drift
/// decides <see cref="Drifted"/>, <see cref="Severity"/> and the action; the distribution tests are
/// reported beside it and revoke only where the profile asks.
/// </summary>
public sealed record DriftResult(
    bool Drifted,
    double Severity,
    double Confidence,
    string Action,
    string AlertSeverity,
    IReadOnlyDictionary<string, MetricDrift> Metrics,
    StatisticDrift? Ks,
    StatisticDrift? Psi)
{
    public bool DistributionDrifted => Ks?.Drifted == true || Psi?.Drifted == true;
}
