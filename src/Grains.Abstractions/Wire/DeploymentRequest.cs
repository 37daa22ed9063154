using System.Text.Json.Serialization;

namespace Governance.Grains.Wire;

/// <summary>POST /v1/models/{id}/deployments.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[GenerateSerializer, Alias("gov.DeploymentRequest")]
public sealed record DeploymentRequest([property: Id(0)] string? ApprovalId, [property: Id(1)] string? Environment, [property: Id(2)] string? Scope, [property: Id(3)] string? WeightsHash);
