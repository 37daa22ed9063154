using NSec.Cryptography;

namespace Governance.Crypto;

/// <summary>Ed25519 (RFC 8032) signatures through NSec (libsodium underneath, shipped in its package).</summary>
public static class Ed25519
{
    public const int PublicKeySize = 32;
    public const int SignatureSize = 64;
    public const int SeedSize = 32;

    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

    public static Ed25519KeyPair GenerateKeyPair()
    {
        using var key = Key.Create(Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        return new Ed25519KeyPair(key.Export(KeyBlobFormat.RawPrivateKey), key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    public static Ed25519KeyPair FromSeed(ReadOnlySpan<byte> seed)
    {
        using var key = ImportSeed(seed);
        return new Ed25519KeyPair(seed.ToArray(), key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    public static byte[] Sign(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> message)
    {
        using var key = ImportSeed(seed);
        return Algorithm.Sign(key, message);
    }

    /// <summary>True only for a valid signature; false for bad lengths or a failed check, never throws on input.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize
            || !PublicKey.TryImport(Algorithm, publicKey, KeyBlobFormat.RawPublicKey, out var key))
        {
            return false;
        }

        return Algorithm.Verify(key!, message, signature);
    }

    private static Key ImportSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException($"Seed must be {SeedSize} bytes, got {seed.Length}.", nameof(seed));
        }

        return Key.Import(Algorithm, seed, KeyBlobFormat.RawPrivateKey);
    }
}
