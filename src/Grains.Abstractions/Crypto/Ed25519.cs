using System.Security.Cryptography;

namespace Governance.Crypto;

/// <summary>Ed25519 (RFC 8032) signatures backed by libsodium.</summary>
public static unsafe class Ed25519
{
    public const int PublicKeySize = 32;
    public const int SignatureSize = 64;
    public const int SeedSize = 32;

    // libsodium's secret key is seed || public key.
    private const int SecretKeySize = 64;

    public static Ed25519KeyPair GenerateKeyPair()
    {
        Sodium.EnsureInitialized();
        var publicKey = new byte[PublicKeySize];
        Span<byte> secretKey = stackalloc byte[SecretKeySize];
        try
        {
            fixed (byte* pk = publicKey)
            fixed (byte* sk = secretKey)
            {
                Check(Sodium.crypto_sign_ed25519_keypair(pk, sk), "crypto_sign_ed25519_keypair");
            }

            return new Ed25519KeyPair(secretKey[..SeedSize].ToArray(), publicKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secretKey);
        }
    }

    public static Ed25519KeyPair FromSeed(ReadOnlySpan<byte> seed)
    {
        var publicKey = new byte[PublicKeySize];
        Span<byte> secretKey = stackalloc byte[SecretKeySize];
        try
        {
            DeriveSecretKey(seed, publicKey, secretKey);
            return new Ed25519KeyPair(seed.ToArray(), publicKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secretKey);
        }
    }

    public static byte[] Sign(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> message)
    {
        Span<byte> publicKey = stackalloc byte[PublicKeySize];
        Span<byte> secretKey = stackalloc byte[SecretKeySize];
        try
        {
            DeriveSecretKey(seed, publicKey, secretKey);
            var signature = new byte[SignatureSize];
            fixed (byte* sig = signature)
            fixed (byte* m = NonNull(message))
            fixed (byte* sk = secretKey)
            {
                Check(Sodium.crypto_sign_ed25519_detached(sig, null, m, (ulong)message.Length, sk), "crypto_sign_ed25519_detached");
            }

            return signature;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secretKey);
        }
    }

    /// <summary>True only for a valid signature; false for bad lengths or a failed check, never throws on input.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize)
        {
            return false;
        }

        Sodium.EnsureInitialized();
        fixed (byte* sig = signature)
        fixed (byte* m = NonNull(message))
        fixed (byte* pk = publicKey)
        {
            return Sodium.crypto_sign_ed25519_verify_detached(sig, m, (ulong)message.Length, pk) == 0;
        }
    }

    private static void DeriveSecretKey(ReadOnlySpan<byte> seed, Span<byte> publicKey, Span<byte> secretKey)
    {
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException($"Seed must be {SeedSize} bytes, got {seed.Length}.", nameof(seed));
        }

        Sodium.EnsureInitialized();
        fixed (byte* s = seed)
        fixed (byte* pk = publicKey)
        fixed (byte* sk = secretKey)
        {
            Check(Sodium.crypto_sign_ed25519_seed_keypair(pk, sk, s), "crypto_sign_ed25519_seed_keypair");
        }
    }

    // Pinning an empty span yields a null pointer; hand libsodium a valid (unread) address instead.
    private static ReadOnlySpan<byte> NonNull(ReadOnlySpan<byte> message) => message.IsEmpty ? [0] : message;

    private static void Check(int result, string function)
    {
        if (result != 0)
        {
            throw new CryptographicException($"{function} failed with {result}.");
        }
    }
}
