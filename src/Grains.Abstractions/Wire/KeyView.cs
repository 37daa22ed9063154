namespace Governance.Grains.Wire;

/// <summary>An approver's public key.</summary>
public sealed record KeyView(string Principal, string KeyId, string PublicKey, string RegisteredAt, string? RevokedAt);
