using System.Text.Json.Serialization;

namespace Governance.Grains.Wire;

/// <summary>POST /v1/models/{id}/approval.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ApprovalRequest(
    string? Profile,
    List<string>? ApprovedEnvironments,
    List<string>? ApprovedScopes,
    int? RequiredApprovers,
    double? ApprovalTtlDays,
    long? ApprovalTtlSeconds,
    bool? Supersede);
