namespace Governance.Grains.Policy;

/// <summary>The shipped development profiles <c>default</c> and <c>strict</c> (DESIGN §5.6).</summary>
public sealed class BuiltInPolicyCatalog : IPolicyCatalog
{
    public const string DefaultProfile = "default";

    public static readonly PolicyProfile Default = new(
        Name: DefaultProfile,
        Version: "1",
        Environments: ["dev", "staging", "production"],
        MinApprovers: 1,
        MinApproversByEnvironment: new Dictionary<string, int>(),
        DefaultTtlDays: 90,
        MaxTtlDays: 365,
        Metrics: new Dictionary<string, MetricBound>(),
        RequiredCardFields: []);

    public static readonly PolicyProfile Strict = new(
        Name: "strict",
        Version: "1",
        Environments: ["staging", "production"],
        MinApprovers: 2,
        MinApproversByEnvironment: new Dictionary<string, int>(),
        DefaultTtlDays: 30,
        MaxTtlDays: 90,
        Metrics: new Dictionary<string, MetricBound>
        {
            ["accuracy"] = new(Min: 0.90, Max: null),
            ["fairness_subgroup_delta"] = new(Min: null, Max: 0.05),
            ["harmful_rate"] = new(Min: null, Max: 0.005),
        },
        RequiredCardFields: []);

    private static readonly Dictionary<string, PolicyProfile> Profiles = new(StringComparer.Ordinal)
    {
        [Default.Name] = Default,
        [Strict.Name] = Strict,
    };

    public PolicyProfile? Find(string name) => Profiles.GetValueOrDefault(name);
}
