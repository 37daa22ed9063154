namespace Governance.Runtime.Tests.Streams;

/// <summary>Fresh stream keys placed relative to another key's partition.</summary>
public static class StreamKeys
{
    /// <summary>A fresh key that hashes into the same partition as <paramref name="key"/>.</summary>
    public static string InPartitionOf(string key, string name) => Find(name, candidate => candidate == Partitioning.PartitionOf(key));

    /// <summary>A fresh key that hashes into another partition than <paramref name="key"/>.</summary>
    public static string OutsidePartitionOf(string key, string name) => Find(name, candidate => candidate != Partitioning.PartitionOf(key));

    private static string Find(string name, Func<int, bool> partitionFits)
    {
        for (var i = 0; ; i++)
        {
            var candidate = $"{name}-{i}-{Guid.NewGuid():N}";
            if (partitionFits(Partitioning.PartitionOf(candidate)))
            {
                return candidate;
            }
        }
    }
}
