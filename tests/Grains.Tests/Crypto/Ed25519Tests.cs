using System.Security.Cryptography;
using Governance.Crypto;

namespace Governance.Grains.Tests.Crypto;

public class Ed25519Tests
{
    // TEST SHA(abc) signs SHA-512("abc").
    private const string ShaAbcMessage =
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

    // RFC 8032 §7.1: TEST 1, TEST 2, TEST 3, TEST SHA(abc).
    public static TheoryData<string, string, string, string> Rfc8032Vectors => new()
    {
        {
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        },
        {
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        },
        {
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        },
        {
            "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
            "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
            ShaAbcMessage,
            "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"
        },
    };

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void Rfc8032_vectors_derive_sign_and_verify(string seedHex, string publicKeyHex, string messageHex, string signatureHex)
    {
        var seed = Convert.FromHexString(seedHex);
        var message = Convert.FromHexString(messageHex);
        var expectedPublicKey = Convert.FromHexString(publicKeyHex);
        var expectedSignature = Convert.FromHexString(signatureHex);

        var keyPair = Ed25519.FromSeed(seed);
        Assert.Equal(seed, keyPair.Seed);
        Assert.Equal(expectedPublicKey, keyPair.PublicKey);

        Assert.Equal(expectedSignature, Ed25519.Sign(seed, message));
        Assert.True(Ed25519.Verify(expectedPublicKey, message, expectedSignature));
    }

    [Fact]
    public void Sha_abc_vector_message_is_sha512_of_abc()
    {
        Assert.Equal(ShaAbcMessage, Convert.ToHexStringLower(SHA512.HashData("abc"u8)));
    }

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void Tampering_with_any_input_fails_verification(string seedHex, string publicKeyHex, string messageHex, string signatureHex)
    {
        _ = seedHex;
        var publicKey = Convert.FromHexString(publicKeyHex);
        var message = Convert.FromHexString(messageHex);
        var signature = Convert.FromHexString(signatureHex);

        var longerMessage = message.Append((byte)0).ToArray();
        Assert.False(Ed25519.Verify(publicKey, longerMessage, signature));
        if (message.Length > 0)
        {
            Assert.False(Ed25519.Verify(publicKey, Flip(message, 0), signature));
        }

        Assert.False(Ed25519.Verify(publicKey, message, Flip(signature, 0)));
        Assert.False(Ed25519.Verify(publicKey, message, Flip(signature, 63)));
        Assert.False(Ed25519.Verify(Flip(publicKey, 0), message, signature));
    }

    [Fact]
    public void Wrong_lengths_fail_verification_without_throwing()
    {
        var keyPair = Ed25519.GenerateKeyPair();
        var message = "hello"u8.ToArray();
        var signature = Ed25519.Sign(keyPair.Seed, message);

        Assert.False(Ed25519.Verify(keyPair.PublicKey.AsSpan(0, 31), message, signature));
        Assert.False(Ed25519.Verify([.. keyPair.PublicKey, 0], message, signature));
        Assert.False(Ed25519.Verify(keyPair.PublicKey, message, signature.AsSpan(0, 63)));
        Assert.False(Ed25519.Verify(keyPair.PublicKey, message, [.. signature, 0]));
        Assert.False(Ed25519.Verify([], message, []));
    }

    [Fact]
    public void Wrong_seed_length_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Ed25519.FromSeed(new byte[31]));
        Assert.Throws<ArgumentException>(() => Ed25519.Sign(new byte[33], "m"u8));
    }

    [Fact]
    public void Generated_key_pair_round_trips()
    {
        var keyPair = Ed25519.GenerateKeyPair();
        Assert.Equal(Ed25519.SeedSize, keyPair.Seed.Length);
        Assert.Equal(Ed25519.PublicKeySize, keyPair.PublicKey.Length);
        Assert.Equal(keyPair.PublicKey, Ed25519.FromSeed(keyPair.Seed).PublicKey);

        var message = RandomNumberGenerator.GetBytes(1000);
        var signature = Ed25519.Sign(keyPair.Seed, message);
        Assert.Equal(Ed25519.SignatureSize, signature.Length);
        Assert.True(Ed25519.Verify(keyPair.PublicKey, message, signature));
        Assert.False(Ed25519.Verify(Ed25519.GenerateKeyPair().PublicKey, message, signature));
        Assert.NotEqual(keyPair.Seed, Ed25519.GenerateKeyPair().Seed);
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] ^= 0x01;
        return copy;
    }
}
