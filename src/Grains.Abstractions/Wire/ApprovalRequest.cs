using System.Text.Json.Serialization;

namespace Governance.Grains.Wire;

/// <summary>POST /v1/models/{id}/approval.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
[GenerateSerializer, Alias("gov.ApprovalRequest")]
public sealed record ApprovalRequest(
    [property: Id(0)] string? Profile,
    [property: Id(1)] List<string>? ApprovedEnvironments,
    [property: Id(2)] List<string>? ApprovedScopes,
    [property: Id(3)] int? RequiredApprovers,
    [property: Id(4)] double? ApprovalTtlDays,
    [property: Id(5)] long? ApprovalTtlSeconds,
    [property: Id(6)] bool? Supersede);
