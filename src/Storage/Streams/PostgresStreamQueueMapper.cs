using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Streams;

namespace Governance.Storage.Streams;

/// <summary>
/// Maps a stream onto queue <c>partition(key) mod QueueCount</c>, where partition is the old runtime's
/// stable key partition (first 4 bytes of SHA-256 of the UTF-8 key, big-endian, mod 1024): computable
/// in SQL from the old log's rows (migration 0007) and the same in every process and version. Queues
/// are spread over silos by Orleans' hash ring, as with its own mapper.
/// </summary>
internal sealed class PostgresStreamQueueMapper : IConsistentRingStreamQueueMapper
{
    /// <summary>Partitions of the old log (src/Runtime/Partitioning.cs).</summary>
    public const int LegacyPartitionCount = 1024;

    private readonly HashRingBasedStreamQueueMapper _ring;
    private readonly QueueId[] _queues;

    public PostgresStreamQueueMapper(string providerName, int queueCount)
    {
        _ring = new HashRingBasedStreamQueueMapper(new HashRingStreamQueueMapperOptions { TotalQueueCount = queueCount }, providerName);
        _queues = new QueueId[queueCount];
        foreach (var queue in _ring.GetAllQueues())
        {
            _queues[queue.GetNumericId()] = queue;
        }
    }

    public IEnumerable<QueueId> GetAllQueues() => _queues;

    public IEnumerable<QueueId> GetQueuesForRange(IRingRange range) => _ring.GetQueuesForRange(range);

    public QueueId GetQueueForStream(StreamId streamId) => _queues[QueueOf(streamId.Key.Span, _queues.Length)];

    /// <summary>The queue (0 ≤ queue &lt; <paramref name="queueCount"/>) of the stream with key <paramref name="key"/>.</summary>
    public static int QueueOf(string key, int queueCount)
    {
        var byteCount = Encoding.UTF8.GetByteCount(key);
        var buffer = byteCount <= 512 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(key, buffer);
        return QueueOf(buffer, queueCount);
    }

    private static int QueueOf(ReadOnlySpan<byte> utf8Key, int queueCount)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8Key, hash);
        var partition = (int)(BinaryPrimitives.ReadUInt32BigEndian(hash) % LegacyPartitionCount);
        return partition % queueCount;
    }
}
