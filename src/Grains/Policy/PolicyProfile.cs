namespace Governance.Grains.Policy;

/// <summary>What a submission under this profile must satisfy (DESIGN §5.6).</summary>
public sealed record PolicyProfile(
    string Name,
    string Version,
    IReadOnlyList<string> Environments,
    int MinApprovers,
    IReadOnlyDictionary<string, int> MinApproversByEnvironment,
    double DefaultTtlDays,
    double MaxTtlDays,
    IReadOnlyDictionary<string, MetricBound> Metrics,
    IReadOnlyList<string> RequiredCardFields,
    DateTimeOffset? EffectiveFrom = null,
    DateTimeOffset? EffectiveUntil = null,
    bool AutoRevoke = true,
    double AutoRevokeSeverity = 0.8,
    DriftThresholds? Drift = null,
    bool RevokeOnDistributionDrift = false)
{
    public DriftThresholds DriftOrDefault => Drift ?? DriftThresholds.Default;
}
