using Governance.Grains.Calls;
using Governance.Grains.Wire;

namespace Governance.Grains;

/// <summary>
/// One model's approval state machine, keyed by model id. Commands run one at a time as the caller
/// the silo resolved from the call's token; queries interleave with them and read the last committed
/// state. Refusals raise <see cref="GovernanceException"/> with a stable code.
/// </summary>
[Alias("gov.IModelGovernanceGrain")]
public interface IModelGovernanceGrain : IEvidenceGrain
{
    [RequiresRole(Roles.Trainer), Alias("RecordTraining")]
    Task<TrainingView> RecordTraining(TrainingOutputRequest request);

    [RequiresRole(Roles.Approver), Alias("SubmitApproval")]
    Task<ApprovalView> SubmitApproval(ApprovalRequest request);

    [AlwaysInterleave, Alias("GetApprovalDocument")]
    Task<ApprovalDocumentView> GetApprovalDocument();

    [RequiresRole(Roles.Approver), Alias("AddSignature")]
    Task<ApprovalView> AddSignature(SignatureRequest request);

    [RequiresRole(Roles.Deployer), Alias("Deploy")]
    Task<PromotionResult> Deploy(DeploymentRequest request);

    [RequiresRole(Roles.Approver, Roles.Admin), Alias("Revoke")]
    Task<ApprovalView> Revoke(RevocationRequest request);

    [AlwaysInterleave, Alias("GetModel")]
    Task<ModelView> GetModel();

    /// <summary>
    /// The baseline and profile a drift observation is compared with, and how far the model's drift
    /// stream was applied; not_found for an unknown model.
    /// </summary>
    [AlwaysInterleave, Alias("GetDriftContext")]
    Task<DriftContext> GetDriftContext();

    /// <summary>
    /// Puts a drift observation on the model's drift stream, with the model's training metrics as the
    /// baseline unless the observation gives its own; returns once the event is committed to the stream
    /// (it will be applied by the model's drift monitor). Interleaves: it reads the committed state.
    /// </summary>
    [AlwaysInterleave, RequiresRole(Roles.Monitor), Alias("ObserveDrift")]
    Task<DriftAccepted> ObserveDrift(DriftObservationRequest request);

    /// <summary>
    /// Records drift results in stream order (each idempotent by <see cref="DriftRecord.Seq"/>):
    /// updates the latest drift, writes <c>drift_detected</c> for each drifted one, and revokes when
    /// the profile says so, all in one write. Returns the latest drift. Called by the model's drift
    /// monitor only.
    /// </summary>
    [ClusterOnly, Alias("RecordDrift")]
    Task<DriftView> RecordDrift(IReadOnlyList<DriftRecord> records);

    /// <summary>
    /// Compares stream events with the baseline each carries under the drift thresholds of the model's
    /// profile and records the results as <see cref="RecordDrift"/> does (events at or before the last
    /// recorded seq are skipped), in one call and one write. Returns how far the stream is applied. Called
    /// by the model's drift monitor only.
    /// </summary>
    [ClusterOnly, Alias("RecordDriftEvents")]
    Task<DriftProgress> RecordDriftEvents(IReadOnlyList<DriftStreamEvent> events);

    /// <summary>
    /// Records <c>expired</c> and <c>approval_expired</c> when the live approval's expiry has passed;
    /// nothing otherwise (idempotent). Called by the silos' expiry catch-up.
    /// </summary>
    [ClusterOnly, Alias("ExpireIfDue")]
    Task ExpireIfDue();

    /// <summary>The deploy gates 2–5 without side effects; a denial is an answer, not an error.</summary>
    [AlwaysInterleave, Alias("Verify")]
    Task<VerifyDecision> Verify(VerifyQuery query);
}
