using Governance.Grains.Wire;
using Governance.Runtime;

namespace Governance.Grains;

/// <summary>
/// One model's approval state machine, keyed by model id. Commands run one at a time; queries read
/// the last committed state. Refusals raise <see cref="GovernanceException"/> with a stable code.
/// </summary>
public interface IModelGovernanceGrain : IEvidenceGrain
{
    Task<TrainingView> RecordTraining(Caller caller, TrainingOutputRequest request);

    Task<ApprovalView> SubmitApproval(Caller caller, ApprovalRequest request);

    [ReadOnly]
    Task<ApprovalDocumentView> GetApprovalDocument();

    Task<ApprovalView> AddSignature(Caller caller, SignatureRequest request);

    Task<PromotionResult> Deploy(Caller caller, DeploymentRequest request);

    Task<ApprovalView> Revoke(Caller caller, RevocationRequest request);

    [ReadOnly]
    Task<ModelView> GetModel();

    /// <summary>
    /// The baseline and profile a drift observation is compared with, and how far the model's drift
    /// stream was applied; not_found for an unknown model.
    /// </summary>
    [ReadOnly]
    Task<DriftContext> GetDriftContext();

    /// <summary>
    /// Records drift results in stream order (each idempotent by <see cref="DriftRecord.Seq"/>):
    /// updates the latest drift, writes <c>drift_detected</c> for each drifted one, and revokes when
    /// the profile says so, all in one write. Results that change nothing but the latest drift are
    /// kept unsaved until <see cref="SaveDrift"/> (the stream still holds them). Returns the latest drift.
    /// Throws <see cref="Runtime.Streams.StreamRedeliveryRequiredException"/> once after a failed write dropped results kept
    /// unsaved: the stream must deliver everything since its saved checkpoint again.
    /// </summary>
    Task<DriftView> RecordDrift(IReadOnlyList<DriftRecord> records);

    /// <summary>
    /// Writes the drift results recorded up to stream seq <paramref name="throughSeq"/> that were
    /// kept unsaved. False when some were lost (a reload dropped them): they must be delivered again.
    /// </summary>
    Task<bool> SaveDrift(long throughSeq);

    /// <summary>The deploy gates 2–5 without side effects; a denial is an answer, not an error.</summary>
    [ReadOnly]
    Task<VerifyDecision> Verify(VerifyQuery query);
}
