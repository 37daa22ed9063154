namespace Governance.Grains.Wire;

/// <summary>A stored, verified approver signature.</summary>
[GenerateSerializer, Immutable, Alias("gov.SignatureView")]
public sealed record SignatureView([property: Id(0)] string Principal, [property: Id(1)] string KeyId, [property: Id(2)] string Signature, [property: Id(3)] string SignedAt);
