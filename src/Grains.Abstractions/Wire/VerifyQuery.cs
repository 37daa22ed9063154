using System.Text.Json.Serialization;

namespace Governance.Grains.Wire;

/// <summary>One verify question: may these weights of this model serve in this environment and scope now?</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[GenerateSerializer, Immutable, Alias("gov.VerifyQuery")]
public sealed record VerifyQuery([property: Id(0)] string? ModelId, [property: Id(1)] string? Environment, [property: Id(2)] string? Scope, [property: Id(3)] string? WeightsHash);
