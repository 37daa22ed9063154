using System.Text.Json.Serialization;

namespace Governance.Grains.Wire;

/// <summary>PUT /v1/approvers/{principal}/keys/{key_id}.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record KeyRegistrationRequest(string? PublicKey);
