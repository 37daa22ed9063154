namespace Governance.Grains.Wire;

/// <summary>
/// An approval as the API shows it. <c>approved_by</c>/<c>approved_at</c> are the submitter and the
/// submission time; <c>approver_signatures</c> maps each signer to its base64 signature.
/// </summary>
[GenerateSerializer, Immutable, Alias("gov.ApprovalView")]
public sealed record ApprovalView(
    [property: Id(0)] string ApprovalId,
    [property: Id(1)] string ModelId,
    [property: Id(2)] string WeightsHash,
    [property: Id(3)] string ApprovedBy,
    [property: Id(4)] string ApprovedAt,
    [property: Id(5)] string ExpiresAt,
    [property: Id(6)] string Profile,
    [property: Id(7)] string? CorrelationId,
    [property: Id(8)] string Status,
    [property: Id(9)] IReadOnlyList<string> ApprovedEnvironments,
    [property: Id(10)] IReadOnlyList<string>? ApprovedScopes,
    [property: Id(11)] int RequiredApprovers,
    [property: Id(12)] IReadOnlyDictionary<string, string> ApproverSignatures,
    [property: Id(13)] IReadOnlyList<SignatureView> Signatures,
    [property: Id(14)] string TrainedBy,
    [property: Id(15)] string SubmittedBy,
    [property: Id(16)] string SubmittedAt,
    [property: Id(17)] string? QuorumReachedAt,
    [property: Id(18)] IReadOnlyList<DeploymentView> Deployments,
    [property: Id(19)] RevocationView? Revocation);
