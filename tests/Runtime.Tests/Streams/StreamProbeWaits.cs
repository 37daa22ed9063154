using Governance.Runtime.Streams;

namespace Governance.Runtime.Tests.Streams;

/// <summary>The waits the stream tests share: a probe grain's applied events, and the probe consumer's checkpoint.</summary>
public static class StreamProbeWaits
{
    /// <summary>The consumer name of <see cref="StreamProbeGrain"/> (its grain type).</summary>
    public const string Consumer = "stream-probe";

    /// <summary>Waits until stream-probe/<paramref name="key"/> applied at least <paramref name="count"/> events; returns its state.</summary>
    public static async Task<StreamProbeState> AppliedAsync(IGrainFactory grains, string key, int count, TimeSpan within)
    {
        var grain = grains.GetGrain<IStreamProbeGrain>(key);
        var state = StreamProbeState.Empty;
        await Eventually.HoldsAsync(
            async () => (state = await grain.GetState()).Seqs.Count >= count,
            within,
            () => $"stream-probe/{key} to have applied {count} events (applied: {string.Join(", ", state.Payloads)})");
        return state;
    }

    /// <summary>Waits until the probe consumer's saved checkpoint of the partition reaches <paramref name="seq"/>, and checks it is exactly that.</summary>
    public static async Task CheckpointReachesAsync(IStreamStore store, string streamNamespace, int partition, long seq, TimeSpan within)
    {
        var checkpoint = 0L;
        await Eventually.HoldsAsync(
            async () => (checkpoint = (await store.GetCheckpointsAsync(Consumer, streamNamespace, [partition], CancellationToken.None)).GetValueOrDefault(partition)) >= seq,
            within,
            () => $"the {Consumer} checkpoint of {streamNamespace}/{partition} to reach {seq} (it is {checkpoint})");
        Assert.Equal(seq, checkpoint);
    }
}
