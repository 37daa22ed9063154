namespace Governance.Grains.Wire;

/// <summary>
/// An approval as the API shows it. <c>approved_by</c>/<c>approved_at</c> are the submitter and the
/// submission time; <c>approver_signatures</c> maps each signer to its base64 signature.
/// </summary>
public sealed record ApprovalView(
    string ApprovalId,
    string ModelId,
    string WeightsHash,
    string ApprovedBy,
    string ApprovedAt,
    string ExpiresAt,
    string Profile,
    string? CorrelationId,
    string Status,
    IReadOnlyList<string> ApprovedEnvironments,
    IReadOnlyList<string>? ApprovedScopes,
    int RequiredApprovers,
    IReadOnlyDictionary<string, string> ApproverSignatures,
    IReadOnlyList<SignatureView> Signatures,
    string TrainedBy,
    string SubmittedBy,
    string SubmittedAt,
    string? QuorumReachedAt,
    IReadOnlyList<DeploymentView> Deployments,
    RevocationView? Revocation);
