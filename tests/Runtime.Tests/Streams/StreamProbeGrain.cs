using System.Collections.Concurrent;
using System.Text.Json.Serialization.Metadata;
using Governance.Runtime.Storage;
using Governance.Runtime.Streams;

namespace Governance.Runtime.Tests.Streams;

/// <summary>
/// Applies each stream event once: an event at or below the last applied seq is a redelivery and is
/// skipped, as at-least-once delivery requires of a subscriber. For keys in
/// <see cref="WriteBehindKeys"/> it writes applied events only when the stream checkpoint asks. Behaviour per key (a delay per event,
/// failures on given payloads) is set through the static dictionaries, so tests running at once do
/// not disturb each other as long as they use keys of their own.
/// </summary>
[GrainType("stream-probe")]
public sealed class StreamProbeGrain : Grain<StreamProbeState>, IStreamProbeGrain, IStreamSubscriber
{
    /// <summary>How long the grain of a key works on each new event before applying it.</summary>
    public static ConcurrentDictionary<string, TimeSpan> DelayByKey { get; } = new(StringComparer.Ordinal);

    /// <summary>How many more deliveries of the event with this payload throw.</summary>
    public static ConcurrentDictionary<string, int> FailuresByPayload { get; } = new(StringComparer.Ordinal);

    /// <summary>Every delivery per key, redeliveries and failed ones included.</summary>
    public static ConcurrentDictionary<string, int> DeliveriesByKey { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How many more deliveries of the event with this payload fail as a failed write does: the
    /// runtime reloads the grain, which drops what it kept unsaved.
    /// </summary>
    public static ConcurrentDictionary<string, int> StorageFailuresByPayload { get; } = new(StringComparer.Ordinal);

    /// <summary>Keys whose grain keeps applied events unsaved until the stream checkpoint asks for them.</summary>
    public static ConcurrentDictionary<string, bool> WriteBehindKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>Payloads written at once even by a key in <see cref="WriteBehindKeys"/> (as a model writes a drifted result).</summary>
    public static ConcurrentDictionary<string, bool> WriteNowPayloads { get; } = new(StringComparer.Ordinal);

    /// <summary>The grain waits for this task before it applies the event with this payload (a gate the test opens).</summary>
    public static ConcurrentDictionary<string, Task> GatesByPayload { get; } = new(StringComparer.Ordinal);

    /// <summary>Writes per key that the store refused as unavailable.</summary>
    public static ConcurrentDictionary<string, int> UnavailableWritesByKey { get; } = new(StringComparer.Ordinal);

    /// <summary>How many more checkpoint calls of the key answer "not durable".</summary>
    public static ConcurrentDictionary<string, int> CheckpointRefusalsByKey { get; } = new(StringComparer.Ordinal);

    /// <summary>Calls of <see cref="OnStreamCheckpoint"/> per key.</summary>
    public static ConcurrentDictionary<string, int> CheckpointCallsByKey { get; } = new(StringComparer.Ordinal);

    /// <summary>Calls of <see cref="OnStreamEvents"/> per key (each hands one or more events).</summary>
    public static ConcurrentDictionary<string, int> CallsByKey { get; } = new(StringComparer.Ordinal);

    protected override JsonTypeInfo<StreamProbeState> StateTypeInfo => StreamProbeJsonContext.Default.StreamProbeState;

    protected override StreamProbeState CreateEmptyState() => StreamProbeState.Empty;

    public Task<StreamProbeState> GetState() => Task.FromResult(State);

    public async Task OnStreamEvents(IReadOnlyList<StreamEvent> events, CancellationToken cancellationToken)
    {
        CountOne(CallsByKey, GrainKey);
        if (TakeUnsavedStateLost())
        {
            throw new StreamRedeliveryRequiredException($"stream-probe/{GrainKey} lost events it kept unsaved.");
        }

        foreach (var streamEvent in events)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await ApplyAsync(streamEvent);
        }
    }

    public async Task<bool> OnStreamCheckpoint(long throughSeq, CancellationToken cancellationToken)
    {
        CountOne(CheckpointCallsByKey, GrainKey);
        if (TakeOne(CheckpointRefusalsByKey, GrainKey) || TakeUnsavedStateLost())
        {
            return false;
        }

        await SaveUnsavedStateAsync(cancellationToken);
        return true;
    }

    private async Task ApplyAsync(StreamEvent streamEvent)
    {
        CountOne(DeliveriesByKey, GrainKey);
        if (streamEvent.Seq <= State.LastSeq)
        {
            return;
        }

        if (DelayByKey.TryGetValue(GrainKey, out var delay))
        {
            await Task.Delay(delay);
        }

        if (GatesByPayload.TryGetValue(streamEvent.Payload, out var gate))
        {
            await gate;
        }

        if (TakeOne(FailuresByPayload, streamEvent.Payload))
        {
            throw new InvalidOperationException($"stream-probe/{GrainKey} fails on '{streamEvent.Payload}' on purpose.");
        }

        if (TakeOne(StorageFailuresByPayload, streamEvent.Payload))
        {
            throw new StorageUnavailableException($"stream-probe/{GrainKey} cannot write '{streamEvent.Payload}' on purpose.");
        }

        var next = new StreamProbeState(streamEvent.Seq, [.. State.Seqs, streamEvent.Seq], [.. State.Payloads, streamEvent.Payload]);
        if (WriteBehindKeys.ContainsKey(GrainKey) && !WriteNowPayloads.ContainsKey(streamEvent.Payload))
        {
            KeepUnsaved(next);
            return;
        }

        try
        {
            await WriteStateAsync(next, [], []);
        }
        catch (StorageUnavailableException)
        {
            CountOne(UnavailableWritesByKey, GrainKey);
            throw;
        }
    }

    private static void CountOne(ConcurrentDictionary<string, int> counts, string key) => counts.AddOrUpdate(key, 1, (_, count) => count + 1);

    /// <summary>Takes one from the countdown of <paramref name="key"/>; false when none is left.</summary>
    private static bool TakeOne(ConcurrentDictionary<string, int> countdowns, string key) =>
        countdowns.TryGetValue(key, out var left) && left > 0 && countdowns.TryUpdate(key, left - 1, left);
}
