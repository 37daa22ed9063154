using System.Globalization;
using Governance.Grains.Wire;

namespace Governance.Grains.Models;

/// <summary>How a model's state appears on the wire.</summary>
public static class ModelViews
{
    public static ModelView Model(ModelState state, long etag, DateTimeOffset now) => new(
        state.ModelId,
        state.StatusAt(now) ?? ApprovalStatus.Trained,
        state.Training is { } training ? Training(state.ModelId, training) : null,
        state.Approval is { } approval ? Approval(state.ModelId, approval, now) : null,
        state.LatestDrift is { } drift ? Drift(drift) : null,
        state.LedgerSeq,
        state.LedgerHead,
        etag.ToString(CultureInfo.InvariantCulture));

    public static DriftView Drift(DriftSnapshot drift) => new(drift.EventId, drift.ObservedAt, drift.Result, drift.Alert);

    public static TrainingView Training(string modelId, TrainingRecord training) => new(
        modelId, training.WeightsHash, training.Metrics, training.Card, training.CorrelationId, training.Metadata,
        training.TrainedBy, Rfc3339.Milliseconds(training.RecordedAt), training.EvidenceSeq);

    public static ApprovalView Approval(string modelId, ApprovalRecord approval, DateTimeOffset now) => new(
        approval.ApprovalId,
        modelId,
        approval.WeightsHash,
        ApprovedBy: approval.SubmittedBy,
        ApprovedAt: Rfc3339.Seconds(approval.SubmittedAt),
        Rfc3339.Seconds(approval.ExpiresAt),
        approval.Profile,
        approval.CorrelationId,
        approval.StatusAt(now),
        approval.Environments,
        approval.Scopes,
        approval.RequiredApprovers,
        approval.Signatures.ToDictionary(s => s.Principal, s => s.Signature, StringComparer.Ordinal),
        [.. approval.Signatures.Select(s => new SignatureView(s.Principal, s.KeyId, s.Signature, Rfc3339.Milliseconds(s.SignedAt)))],
        approval.TrainedBy,
        approval.SubmittedBy,
        Rfc3339.Seconds(approval.SubmittedAt),
        approval.QuorumReachedAt is { } quorumAt ? Rfc3339.Milliseconds(quorumAt) : null,
        [.. approval.Deployments.Select(d => new DeploymentView(d.Environment, d.Scope, d.DeployedBy, Rfc3339.Milliseconds(d.DeployedAt), d.EvidenceSeq))],
        approval.Revocation is { } revocation
            ? new RevocationView(revocation.Reason, revocation.RevokedBy, Rfc3339.Milliseconds(revocation.RevokedAt))
            : null);
}
