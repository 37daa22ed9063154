namespace Governance.Runtime;

/// <summary>Addresses one grain: its type name and its string key.</summary>
public readonly record struct GrainId(string Type, string Key)
{
    /// <summary>The partition of the key; every row stored for this grain carries it.</summary>
    public int Partition => Partitioning.PartitionOf(Key);

    public override string ToString() => $"{Type}/{Key}";
}
