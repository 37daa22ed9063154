using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Governance.Storage;

/// <summary>
/// The <c>partition</c> column of <c>grain_state</c> and <c>ledger</c> rows: a stable hash of the
/// grain key (a SHA-256 prefix) onto a fixed number of partitions. The same function as the one the
/// previous runtime filled the column with, so rows it wrote and rows written now agree.
/// </summary>
internal static class Partitioning
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
