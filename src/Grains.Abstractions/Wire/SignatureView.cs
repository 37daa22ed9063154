namespace Governance.Grains.Wire;

/// <summary>A stored, verified approver signature.</summary>
public sealed record SignatureView(string Principal, string KeyId, string Signature, string SignedAt);
