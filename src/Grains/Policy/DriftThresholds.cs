namespace Governance.Grains.Policy;

/// <summary>Drift thresholds of a profile; the defaults are the seed's (DESIGN §5.5).</summary>
public sealed record DriftThresholds(
    double MaxLossIncrease = 0.20,
    double MinAccuracyRatio = 0.95,
    double ConfidenceThreshold = 0.90,
    double KsThreshold = 0.10,
    double PsiThreshold = 0.2,
    int MinSamples = 10)
{
    public static DriftThresholds Default { get; } = new();
}
