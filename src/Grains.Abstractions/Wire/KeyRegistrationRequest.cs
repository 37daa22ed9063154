using System.Text.Json.Serialization;

namespace Governance.Grains.Wire;

/// <summary>PUT /v1/approvers/{principal}/keys/{key_id}.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[GenerateSerializer, Alias("gov.KeyRegistrationRequest")]
public sealed record KeyRegistrationRequest([property: Id(0)] string? PublicKey);
