namespace Governance.Runtime.Tests;

[Trait("Category", "Unit")]
public sealed class PartitioningTests
{
    [Fact]
    public void Partitions_are_stable_and_in_range()
    {
        var partitions = Enumerable.Range(0, 10_000).Select(i => Partitioning.PartitionOf($"model-{i}")).ToArray();

        Assert.All(partitions, p => Assert.InRange(p, 0, Partitioning.PartitionCount - 1));
        Assert.True(partitions.Distinct().Count() > 1000, "10,000 keys should spread over most of the 1024 partitions");
        Assert.Equal(Partitioning.PartitionOf("fraud-v1"), Partitioning.PartitionOf(new string("fraud-v1".ToCharArray())));
    }

    [Fact]
    public void The_partition_is_the_big_endian_sha256_prefix_modulo_1024()
    {
        var hash = System.Security.Cryptography.SHA256.HashData("fraud-v1"u8);
        var expected = (int)(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(hash) % 1024);

        Assert.Equal(expected, Partitioning.PartitionOf("fraud-v1"));
    }
}
