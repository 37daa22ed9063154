namespace Governance.Grains.Wire;

/// <summary>An approver's public key.</summary>
[GenerateSerializer, Immutable, Alias("gov.KeyView")]
public sealed record KeyView([property: Id(0)] string Principal, [property: Id(1)] string KeyId, [property: Id(2)] string PublicKey, [property: Id(3)] string RegisteredAt, [property: Id(4)] string? RevokedAt);
