namespace Governance.Gateway.Tests.Infrastructure;

/// <summary>Where the repository's files are, found from the test binaries.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding Cluster.sln.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Cluster.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Cluster.sln not found above the test binaries.");
    }
}
