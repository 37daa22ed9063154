using System.Security.Cryptography;
using Governance.Canonical;

namespace Governance.Grains.Tests.Canonical;

/// <summary>Issue 9 row 9: one spelling per byte string; stored texts compare by their bytes.</summary>
[Trait("Category", "Unit")]
public class CanonicalBase64Tests
{
    private static readonly byte[] Key = Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

    /// <summary>The canonical text of <see cref="Key"/> respelled the ways a lenient decoder accepts.</summary>
    public static TheoryData<string, string> Respellings()
    {
        var text = Convert.ToBase64String(Key);
        return new()
        {
            { text[..20] + "\n" + text[20..], "a line break" },
            { text[..20] + " " + text[20..], "a space" },
            { " " + text, "leading whitespace" },
            { text + "\r\n", "a trailing line break" },
            { WithTrailingBits(text, 1), "non-zero trailing bits" },
        };
    }

    [Theory]
    [MemberData(nameof(Respellings))]
    public void Row9_non_canonical_base64_is_refused_but_its_bytes_compare_equal(string respelled, string how)
    {
        Assert.True(Convert.TryFromBase64String(respelled, new byte[35], out _), $"{how}: the lenient decoder should accept it");

        Assert.False(CanonicalBase64.TryDecode(respelled, Key.Length, out _), how);
        Assert.True(CanonicalBase64.DecodesTo(respelled, Key), how);
        Assert.Equal(Convert.ToBase64String(Key), CanonicalBase64.Canonicalize(respelled));
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    public void Row9_canonical_base64_decodes_and_other_bytes_do_not_compare_equal(int length)
    {
        var bytes = RandomNumberGenerator.GetBytes(length);
        var text = Convert.ToBase64String(bytes);

        Assert.True(CanonicalBase64.TryDecode(text, length, out var decoded));
        Assert.Equal(bytes, decoded);
        Assert.False(CanonicalBase64.TryDecode(text, length + 1, out _));
        Assert.False(CanonicalBase64.TryDecode(text.TrimEnd('='), length, out _));
        Assert.False(CanonicalBase64.TryDecode(null, length, out _));
        Assert.True(CanonicalBase64.DecodesTo(text, bytes));
        bytes[^1] ^= 1;
        Assert.False(CanonicalBase64.DecodesTo(text, bytes));
        Assert.False(CanonicalBase64.DecodesTo(text, bytes.AsSpan(1)));
    }

    [Fact]
    public void Row9_trailing_bits_are_set_in_the_last_character_of_64_byte_texts_too()
    {
        var signature = RandomNumberGenerator.GetBytes(64);
        var respelled = WithTrailingBits(Convert.ToBase64String(signature), 3);

        Assert.False(CanonicalBase64.TryDecode(respelled, 64, out _));
        Assert.True(CanonicalBase64.DecodesTo(respelled, signature));
    }

    /// <summary>Sets unused low bits of the last data character (before the padding), which lenient decoders ignore.</summary>
    public static string WithTrailingBits(string canonical, int bits)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        var last = canonical.TrimEnd('=').Length - 1;
        var respelled = alphabet[alphabet.IndexOf(canonical[last], StringComparison.Ordinal) | bits];
        return string.Concat(canonical.AsSpan(0, last), respelled.ToString(), canonical.AsSpan(last + 1));
    }
}
