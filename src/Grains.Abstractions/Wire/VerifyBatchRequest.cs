using System.Text.Json.Serialization;

namespace Governance.Grains.Wire;

/// <summary>POST /v1/verify: up to 1000 questions answered in order.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record VerifyBatchRequest(List<VerifyQuery>? Items);
