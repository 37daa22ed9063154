namespace Governance.Grains.Models;

/// <summary>A verified signature, stored once when it was added.</summary>
public sealed record SignatureRecord(string Principal, string KeyId, string Signature, DateTimeOffset SignedAt);
