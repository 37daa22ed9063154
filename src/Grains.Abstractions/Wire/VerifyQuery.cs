using System.Text.Json.Serialization;

namespace Governance.Grains.Wire;

/// <summary>One verify question: may these weights of this model serve in this environment and scope now?</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record VerifyQuery(string? ModelId, string? Environment, string? Scope, string? WeightsHash);
