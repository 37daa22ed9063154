namespace Governance.Grains.Policy;

/// <summary>The profiles of the file named by <c>Governance:Policy:File</c>, loaded (and validated) once at start.</summary>
public sealed class FilePolicyCatalog(string path) : IPolicyCatalog
{
    private readonly IReadOnlyDictionary<string, PolicyProfile> _profiles = PolicyFileLoader.LoadFile(path);

    public IReadOnlyCollection<string> Names => [.. _profiles.Keys];

    public PolicyProfile? Find(string name) => _profiles.GetValueOrDefault(name);
}
