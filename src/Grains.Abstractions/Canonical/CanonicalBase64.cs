using System.Diagnostics.CodeAnalysis;

namespace Governance.Canonical;

/// <summary>
/// Base64 (RFC 4648 §4) in its one canonical spelling: the standard alphabet, padded with <c>=</c>,
/// no whitespace or line breaks, zero trailing (padding) bits — exactly what
/// <see cref="Convert.ToBase64String(byte[])"/> writes. Keys and signatures arrive in this form only,
/// so equal bytes always have equal text; still, compare bytes (<see cref="DecodesTo"/>) where a stored
/// text may predate the rule.
/// </summary>
public static class CanonicalBase64
{
    /// <summary>What a field must be, for refusal messages: "canonical base64 … of exactly N bytes".</summary>
    public static string Requirement(int length) =>
        $"canonical base64 of exactly {length} bytes (standard alphabet, padded, no whitespace, zero trailing bits)";

    /// <summary>Decodes <paramref name="text"/> when it is the canonical base64 of exactly <paramref name="length"/> bytes.</summary>
    public static bool TryDecode(string? text, int length, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (text is null || text.Length != (length + 2) / 3 * 4)
        {
            return false;
        }

        var buffer = new byte[length];
        if (!Convert.TryFromBase64String(text, buffer, out var written) || written != length
            || !string.Equals(Convert.ToBase64String(buffer), text, StringComparison.Ordinal))
        {
            return false;
        }

        bytes = buffer;
        return true;
    }

    /// <summary>
    /// Whether stored base64 text decodes to <paramref name="bytes"/>. The text is read leniently (as
    /// it was accepted before the canonical rule: whitespace, non-zero trailing bits), so a row stored
    /// verbatim then still compares equal to the canonical text of the same bytes.
    /// </summary>
    public static bool DecodesTo(string stored, ReadOnlySpan<byte> bytes)
    {
        var buffer = new byte[bytes.Length + 3];
        return Convert.TryFromBase64String(stored, buffer, out var written) && buffer.AsSpan(0, written).SequenceEqual(bytes);
    }

    /// <summary>The canonical spelling of stored base64 text (which may predate the rule).</summary>
    public static string Canonicalize(string stored) => Convert.ToBase64String(Convert.FromBase64String(stored));
}
