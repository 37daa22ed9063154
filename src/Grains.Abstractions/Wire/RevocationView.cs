namespace Governance.Grains.Wire;

/// <summary>Why, by whom and when an approval was revoked.</summary>
[GenerateSerializer, Immutable, Alias("gov.RevocationView")]
public sealed record RevocationView([property: Id(0)] string Reason, [property: Id(1)] string RevokedBy, [property: Id(2)] string RevokedAt);
