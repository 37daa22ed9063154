namespace Governance.Grains.Models;

/// <summary>
/// One approval: the fields of the signed document, its stored status, signatures and deployments.
/// The document itself is derived from these fields (see <see cref="ApprovalDocument"/>).
/// </summary>
public sealed record ApprovalRecord(
    string ApprovalId,
    string WeightsHash,
    string TrainedBy,
    string SubmittedBy,
    DateTimeOffset SubmittedAt,
    DateTimeOffset ExpiresAt,
    string Profile,
    string? CorrelationId,
    IReadOnlyList<string> Environments,
    IReadOnlyList<string>? Scopes,
    int RequiredApprovers,
    string Status,
    IReadOnlyList<SignatureRecord> Signatures,
    IReadOnlyList<DeploymentRecord> Deployments,
    DateTimeOffset? QuorumReachedAt,
    RevocationRecord? Revocation)
{
    /// <summary>The status as of <paramref name="now"/>: a live approval past its expiry is expired.</summary>
    public string StatusAt(DateTimeOffset now) =>
        ApprovalStatus.IsLive(Status) && now >= ExpiresAt ? ApprovalStatus.Expired : Status;
}
