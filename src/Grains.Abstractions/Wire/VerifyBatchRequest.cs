using System.Text.Json.Serialization;

namespace Governance.Grains.Wire;

/// <summary>POST /v1/verify: up to 1000 questions answered in order.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[GenerateSerializer, Alias("gov.VerifyBatchRequest")]
public sealed record VerifyBatchRequest([property: Id(0)] List<VerifyQuery>? Items);
