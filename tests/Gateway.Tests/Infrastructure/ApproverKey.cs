using Governance.Crypto;

namespace Governance.Gateway.Tests.Infrastructure;

/// <summary>An approver's Ed25519 key pair as the tests hold it: the principal, its token and the key id.</summary>
public sealed record ApproverKey(string Principal, string Token, string KeyId, byte[] Seed, byte[] PublicKey)
{
    public static ApproverKey Create(string principal, string token)
    {
        var pair = Ed25519.GenerateKeyPair();
        return new ApproverKey(principal, token, $"k-{Guid.NewGuid():N}", pair.Seed, pair.PublicKey);
    }

    public string PublicKeyBase64 => Convert.ToBase64String(PublicKey);

    public string SignBase64(byte[] signingInput) => Convert.ToBase64String(Ed25519.Sign(Seed, signingInput));
}
