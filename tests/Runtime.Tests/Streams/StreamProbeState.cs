using System.Text.Json.Serialization;

namespace Governance.Runtime.Tests.Streams;

/// <summary>What a <see cref="StreamProbeGrain"/> applied, in the order it applied it.</summary>
public sealed record StreamProbeState(long LastSeq, IReadOnlyList<long> Seqs, IReadOnlyList<string> Payloads)
{
    public static StreamProbeState Empty { get; } = new(0, [], []);
}

[JsonSerializable(typeof(StreamProbeState))]
internal sealed partial class StreamProbeJsonContext : JsonSerializerContext;
