using System.Globalization;
using Orleans.Storage;

namespace Governance.Storage;

/// <summary>What both twins of the <c>governance</c> grain storage share: row keys, ETags, the state contract.</summary>
internal static class GrainStateRows
{
    /// <summary>The row key of a grain: (grain type, key), e.g. ("model", "m1") for <c>[GrainType("model")]</c> and key "m1".</summary>
    public static (string Type, string Key) RowKey(GrainId grainId) => (grainId.Type.ToString()!, grainId.Key.ToString()!);

    /// <summary>The grain's state as <see cref="IEvidencedState"/>, or a clear refusal.</summary>
    public static IEvidencedState Evidenced<T>(IGrainState<T> grainState, GrainId grainId)
    {
        if (!typeof(IEvidencedState).IsAssignableFrom(typeof(T)))
        {
            throw new InvalidOperationException(
                $"The '{GovernanceStorageNames.GrainStorage}' grain storage keeps states that implement {nameof(IEvidencedState)} " +
                $"(such as EvidencedState<TValue>), not {typeof(T).FullName} (grain {grainId}).");
        }

        return grainState.State as IEvidencedState
            ?? throw new InvalidOperationException($"The state object of grain {grainId} is null.");
    }

    /// <summary>The stored ETag the write expects: 0 when none (a first write), else the row's etag.</summary>
    public static long ExpectedETag(string? etag, GrainId grainId, string storageName)
    {
        if (etag is null)
        {
            return 0;
        }

        if (long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        throw new InconsistentStateException(
            $"Grain {grainId} holds ETag '{etag}', which the '{storageName}' storage never issued.", null, etag);
    }

    public static string FormatETag(long etag) => etag.ToString(CultureInfo.InvariantCulture);

    public static InconsistentStateException Conflict(GrainId grainId, long expected, long? stored) =>
        new(
            (stored ?? 0) == expected
                ? $"The write of grain {grainId} at ETag {expected} was refused: a ledger row it appends is taken or leaves a gap in its chain."
                : $"The state of grain {grainId} changed since it was read (expected ETag {Describe(expected)}, stored {Describe(stored ?? 0)}).",
            stored is > 0 ? FormatETag(stored.Value) : null,
            expected == 0 ? null : FormatETag(expected));

    private static string Describe(long etag) => etag == 0 ? "none" : FormatETag(etag);
}
