namespace Governance.Grains.Models;

/// <summary>Why, by whom and when an approval ended early.</summary>
public sealed record RevocationRecord(string Reason, string RevokedBy, DateTimeOffset RevokedAt);
