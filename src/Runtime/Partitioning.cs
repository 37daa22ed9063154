using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Governance.Runtime;

/// <summary>
/// Maps keys onto a fixed number of partitions with a stable hash (a SHA-256 prefix), so every
/// silo, client and database row agrees on a key's partition across processes and versions.
/// </summary>
public static class Partitioning
{
    public const int PartitionCount = 1024;

    public static int PartitionOf(string key)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var byteCount = Encoding.UTF8.GetByteCount(key);
        var buffer = byteCount <= 512 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(key, buffer);
        SHA256.HashData(buffer, hash);
        return (int)(BinaryPrimitives.ReadUInt32BigEndian(hash) % PartitionCount);
    }
}
