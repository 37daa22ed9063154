using System.Text.Json.Serialization;

namespace Governance.Grains.Wire;

/// <summary>POST /v1/models/{id}/revocation.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[GenerateSerializer, Alias("gov.RevocationRequest")]
public sealed record RevocationRequest([property: Id(0)] string? Reason);
