namespace Governance.Grains.Policy;

/// <summary>The shipped development profiles <c>default</c> and <c>strict</c> (DESIGN §5.6), from the embedded YAML.</summary>
public sealed class BuiltInPolicyCatalog : IPolicyCatalog
{
    public const string DefaultProfile = "default";

    private static readonly Lazy<IReadOnlyDictionary<string, PolicyProfile>> Profiles = new(PolicyFileLoader.LoadDevelopmentProfiles);

    public static PolicyProfile Default => Profiles.Value[DefaultProfile];

    public static PolicyProfile Strict => Profiles.Value["strict"];

    public PolicyProfile? Find(string name) => Profiles.Value.GetValueOrDefault(name);
}
