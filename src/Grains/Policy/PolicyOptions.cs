namespace Governance.Grains.Policy;

/// <summary>Where the policy profiles come from (section <c>Governance:Policy</c>).</summary>
public sealed class PolicyOptions
{
    /// <summary>A YAML file of profiles. Default: none — the shipped development profiles.</summary>
    public string? File { get; set; }
}
