namespace Governance.Grains.Wire;

/// <summary>
/// The outcome of comparing an observation with the training baseline (DESIGN §5.5): metric drift
/// decides <see cref="Drifted"/>, <see cref="Severity"/> and the action; the distribution tests are
/// reported beside it and revoke only where the profile asks.
/// </summary>
[GenerateSerializer, Immutable, Alias("gov.DriftResult")]
public sealed record DriftResult(
    [property: Id(0)] bool Drifted,
    [property: Id(1)] double Severity,
    [property: Id(2)] double Confidence,
    [property: Id(3)] string Action,
    [property: Id(4)] string AlertSeverity,
    [property: Id(5)] IReadOnlyDictionary<string, MetricDrift> Metrics,
    [property: Id(6)] StatisticDrift? Ks,
    [property: Id(7)] StatisticDrift? Psi)
{
    public bool DistributionDrifted => Ks?.Drifted == true || Psi?.Drifted == true;
}
