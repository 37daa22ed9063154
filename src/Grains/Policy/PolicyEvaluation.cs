using Governance.Grains.Wire;

namespace Governance.Grains.Policy;

/// <summary>The deterministic outcome of evaluating one submission against one profile.</summary>
public sealed record PolicyEvaluation(
    string Profile,
    string Version,
    string ProfileSha256,
    string InputsSha256,
    IReadOnlyList<PolicyFailure> Failures)
{
    public bool Passed => Failures.Count == 0;
}
