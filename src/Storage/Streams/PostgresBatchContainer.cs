using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Streams;

namespace Governance.Storage.Streams;

/// <summary>
/// Consecutive events of one stream read from a PostgreSQL stream queue, delivered together. Carries
/// the stored payload texts; they are decoded (by the host's <see cref="IStreamPayloadCodec"/>) only
/// where the events are delivered.
/// </summary>
[GenerateSerializer]
[Alias("governance.stream-batch")]
[SerializationCallbacks(typeof(OnDeserializedCallbacks))]
public sealed class PostgresBatchContainer : IBatchContainer, IOnDeserialized
{
    [NonSerialized]
    private IStreamPayloadCodec? _codec;

    [NonSerialized]
    private object[]? _decoded;

    [NonSerialized]
    private readonly long _readTimestamp;

    [Id(1)]
    private readonly long[] _seqs;

    [Id(2)]
    private readonly string[] _payloads;

    [Id(3)]
    private readonly DateTimeOffset[] _appendedAt;

    internal PostgresBatchContainer(
        StreamId streamId, long[] seqs, string[] payloads, DateTimeOffset[] appendedAt, IStreamPayloadCodec codec, long readTimestamp = 0)
    {
        _readTimestamp = readTimestamp;
        StreamId = streamId;
        _seqs = seqs;
        _payloads = payloads;
        _appendedAt = appendedAt;
        _codec = codec;
        SequenceToken = new PostgresStreamSequenceToken(seqs[0]);
    }

    [Id(0)]
    public StreamId StreamId { get; }

    /// <summary>The seq of each event, ascending.</summary>
    public IReadOnlyList<long> Seqs => _seqs;

    /// <summary>The stored text of each event.</summary>
    public IReadOnlyList<string> Payloads => _payloads;

    /// <summary>When each event was appended.</summary>
    public IReadOnlyList<DateTimeOffset> AppendedAt => _appendedAt;

    /// <summary>The token of the first event.</summary>
    [Id(4)]
    public StreamSequenceToken SequenceToken { get; }

    /// <summary>When the receiver read it (<see cref="TimeProvider.GetTimestamp"/>; 0 where it was deserialized).</summary>
    internal long ReadTimestamp => _readTimestamp;

    /// <summary>The seq of the last event.</summary>
    public long LastSeq => _seqs[^1];

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        var decoded = _decoded ??= Decode();
        for (var i = 0; i < decoded.Length; i++)
        {
            if (decoded[i] is T item)
            {
                yield return Tuple.Create(item, (StreamSequenceToken)new PostgresStreamSequenceToken(_seqs[i]));
            }
        }
    }

    public bool ImportRequestContext() => false;

    void IOnDeserialized.OnDeserialized(DeserializationContext context) =>
        _codec = context.ServiceProvider.GetRequiredService<IStreamPayloadCodec>();

    public override string ToString() => $"{StreamId} seq {_seqs[0]}..{LastSeq} ({_seqs.Length} events)";

    private object[] Decode()
    {
        var codec = _codec ?? throw new InvalidOperationException("No stream payload codec to decode the batch with.");
        var decoded = new object[_payloads.Length];
        for (var i = 0; i < decoded.Length; i++)
        {
            decoded[i] = codec.Decode(_payloads[i]);
        }

        return decoded;
    }
}
