namespace Governance.Crypto;

/// <summary>An Ed25519 key pair: the 32-byte RFC 8032 secret seed and the 32-byte public key.</summary>
public sealed record Ed25519KeyPair(byte[] Seed, byte[] PublicKey);
