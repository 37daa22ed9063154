using System.Collections.Concurrent;
using System.Text.Json;

namespace Governance.Storage.Serialization;

/// <summary>
/// Shares the strings that every stored state repeats, so a silo with many warm activations holds
/// each once instead of once per activation: the vocabulary of the domain (principals, statuses,
/// profiles, environments, scopes, metric names), kept in one bounded process-wide pool, and values
/// a state repeats within itself (a weights hash copied from the training into the approval), shared
/// within the one state being read (<see cref="BeginState"/>).
/// </summary>
public static class SharedStrings
{
    /// <summary>Longer strings are not pooled: identifiers are at most 128 characters.</summary>
    public const int MaxPooledLength = 128;

    /// <summary>
    /// The vocabulary pool stops growing here, so a stream of distinct values cannot grow it without
    /// bound; the strings that come later are simply not shared.
    /// </summary>
    public const int MaxVocabularySize = 16_384;

    private const int MaxRepeatsPerState = 16;

    private static readonly ConcurrentDictionary<string, string> Vocabulary = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> VocabularyLookup =
        Vocabulary.GetAlternateLookup<ReadOnlySpan<char>>();

    [ThreadStatic]
    private static List<string>? _stateRepeats;

    /// <summary>
    /// Shares the values read by <see cref="RepeatedStringConverter"/> until the scope is disposed;
    /// the deserialization of one state runs inside one such scope, on one thread.
    /// </summary>
    public static StateScope BeginState()
    {
        var outer = _stateRepeats;
        _stateRepeats = [];
        return new StateScope(outer);
    }

    /// <summary>The pooled instance of the current string or property name, or a new string when not pooled.</summary>
    internal static string? ReadVocabulary(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var length = PoolableLength(ref reader);
        if (length < 0)
        {
            return reader.GetString();
        }

        Span<char> buffer = stackalloc char[length];
        ReadOnlySpan<char> chars = buffer[..reader.CopyString(buffer)];
        if (VocabularyLookup.TryGetValue(chars, out var pooled))
        {
            return pooled;
        }

        var value = chars.ToString();
        return chars.Length <= MaxPooledLength && Vocabulary.Count < MaxVocabularySize ? Vocabulary.GetOrAdd(value, value) : value;
    }

    /// <summary>The instance of the current string already read for this state, or a new string.</summary>
    internal static string? ReadRepeated(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var length = PoolableLength(ref reader);
        if (_stateRepeats is not { } repeats || length < 0)
        {
            return reader.GetString();
        }

        Span<char> buffer = stackalloc char[length];
        ReadOnlySpan<char> chars = buffer[..reader.CopyString(buffer)];
        foreach (var seen in repeats)
        {
            if (chars.SequenceEqual(seen))
            {
                return seen;
            }
        }

        var value = chars.ToString();
        if (repeats.Count < MaxRepeatsPerState)
        {
            repeats.Add(value);
        }

        return value;
    }

    /// <summary>An upper bound of the token's length in chars, or -1 when it is too long to pool.</summary>
    private static int PoolableLength(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
        {
            throw new JsonException($"Expected a string, not {reader.TokenType}.");
        }

        // UTF-8 never takes fewer bytes than UTF-16 chars; an escape takes more bytes than the char it stands for.
        var bytes = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        return bytes <= MaxPooledLength * 6 ? (int)bytes : -1;
    }

    /// <summary>Ends the sharing of one state's repeated values (<see cref="BeginState"/>).</summary>
    public readonly struct StateScope(List<string>? outer) : IDisposable
    {
        public void Dispose() => _stateRepeats = outer;
    }
}
