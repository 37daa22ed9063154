namespace Governance.Grains.Keys;

/// <summary>One registered key; a key id is never reused, even after revocation.</summary>
public sealed record ApproverKeyRecord(
    string PublicKey, string RegisteredBy, DateTimeOffset RegisteredAt, string? RevokedBy, DateTimeOffset? RevokedAt);
