namespace Governance.Grains.Wire;

/// <summary>Why, by whom and when an approval was revoked.</summary>
public sealed record RevocationView(string Reason, string RevokedBy, string RevokedAt);
