using Governance.Crypto;

namespace Governance.Grains.Tests.Crypto;

/// <summary>Issue 9 row 8: weak Ed25519 public keys are told apart from real ones, in managed code.</summary>
[Trait("Category", "Unit")]
public class Ed25519PublicKeyValidatorTests
{
    private const string Ff = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

    public static TheoryData<string, string> WeakKeys => new()
    {
        { "0000000000000000000000000000000000000000000000000000000000000000", "all zero: (sqrt(-1), 0), order 4" },
        { "0000000000000000000000000000000000000000000000000000000000000080", "(-sqrt(-1), 0), order 4" },
        { "0100000000000000000000000000000000000000000000000000000000000000", "the identity, order 1" },
        { "0100000000000000000000000000000000000000000000000000000000000080", "the identity with the sign bit: x = 0 cannot be negative" },
        { "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "(0, -1), order 2" },
        { "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "(0, -1) with the sign bit" },
        { "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", "order 8" },
        { "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", "order 8" },
        { "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", "order 8" },
        { "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", "order 8" },
        { "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "y = p (non-canonical 0)" },
        { "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "y = p + 1 (non-canonical identity)" },
        { "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "y = p + 1 with the sign bit" },
        { "f0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "y = p + 3 (non-canonical)" },
        { Ff + "7f", "y = 2^255 - 1 (non-canonical)" },
        { Ff + "ff", "all ff" },
        { "0200000000000000000000000000000000000000000000000000000000000000", "y = 2: no x on the curve" },
        { "2043e9e419b3bcfd0a9bbc00d6330c95df8a41e5e059800ed94a9cea0a97e3c7", "[12345]B plus a point of order 8: mixed order" },
    };

    [Theory]
    [MemberData(nameof(WeakKeys))]
    public void Row8_weak_public_keys_are_refused(string hex, string why)
    {
        Assert.False(Ed25519PublicKeyValidator.IsValid(Convert.FromHexString(hex)), $"{hex} ({why}) was accepted");
    }

    [Theory]
    [MemberData(nameof(Ed25519Tests.Rfc8032Vectors), MemberType = typeof(Ed25519Tests))]
    public void Row8_rfc8032_public_keys_stay_valid(string seedHex, string publicKeyHex, string messageHex, string signatureHex)
    {
        _ = (seedHex, messageHex, signatureHex);
        Assert.True(Ed25519PublicKeyValidator.IsValid(Convert.FromHexString(publicKeyHex)), publicKeyHex);
    }

    [Theory]
    [InlineData("278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e")] // RFC 8032 TEST 1024
    [InlineData("ef4f62f8479733ad879cfaced3c89a9c39dd4fc795ef2efa1c3eafe4d729a081")] // [12345]B
    [InlineData("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707519a")] // -(TEST 1): the sign bit flipped
    public void Row8_points_of_the_prime_order_subgroup_are_valid(string hex)
    {
        Assert.True(Ed25519PublicKeyValidator.IsValid(Convert.FromHexString(hex)), hex);
    }

    [Fact]
    public void Row8_thousands_of_generated_keys_are_all_valid()
    {
        for (var i = 0; i < 2000; i++)
        {
            var publicKey = Ed25519.GenerateKeyPair().PublicKey;
            Assert.True(Ed25519PublicKeyValidator.IsValid(publicKey), Convert.ToHexStringLower(publicKey));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void Row8_wrong_lengths_are_refused(int length)
    {
        var publicKey = Ed25519.GenerateKeyPair().PublicKey;
        Assert.False(Ed25519PublicKeyValidator.IsValid(length <= 32 ? publicKey.AsSpan(0, length) : [.. publicKey, 0]));
    }
}
