using System.Text.Json.Serialization;

namespace Governance.Grains.Wire;

/// <summary>POST /v1/models/{id}/approval/signatures.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[GenerateSerializer, Alias("gov.SignatureRequest")]
public sealed record SignatureRequest([property: Id(0)] string? ApprovalId, [property: Id(1)] string? KeyId, [property: Id(2)] string? Signature);
