using System.Text.Json.Serialization.Metadata;
using Governance.Grains.Drift;
using Governance.Grains.Evidence;
using Governance.Grains.Policy;
using Governance.Grains.Wire;
using Governance.Runtime;
using Governance.Runtime.Streams;

namespace Governance.Grains.Models;

/// <summary>
/// The actor of one model: runs <see cref="ModelStateMachine"/> one command at a time and commits
/// each transition's state, ledger entries and reminders in a single write.
/// </summary>
[GrainType("model")]
public sealed class ModelGovernanceGrain(TimeProvider clock, IGrainFactory grains, IPolicyCatalog policies, IDriftAlertSink alerts)
    : Grain<ModelState>, IModelGovernanceGrain, IRemindable
{
    protected override JsonTypeInfo<ModelState> StateTypeInfo => GrainStateJsonContext.Default.ModelState;

    protected override ModelState CreateEmptyState() => ModelStateMachine.Empty(GrainKey);

    /// <summary>Listed by stored status; only a live approval has a deadline (an ended one expires nothing).</summary>
    protected override (string? Label, DateTimeOffset? Deadline) Project(ModelState state) =>
        (state.Approval?.Status ?? (state.Training is null ? null : ApprovalStatus.Trained),
         state.Approval is { } approval && ApprovalStatus.IsLive(approval.Status) ? approval.ExpiresAt : null);

    public async Task<TrainingView> RecordTraining(Caller caller, TrainingOutputRequest request)
    {
        await ApplyAsync(ModelStateMachine.RecordTraining(State, caller, request, clock.GetUtcNow()));
        return ModelViews.Training(GrainKey, State.Training!);
    }

    public async Task<ApprovalView> SubmitApproval(Caller caller, ApprovalRequest request)
    {
        var now = clock.GetUtcNow();
        await ApplyAsync(ModelStateMachine.Submit(State, caller, request, policies, Guid.CreateVersion7().ToString(), now));
        return ModelViews.Approval(GrainKey, State.Approval!, now);
    }

    public Task<ApprovalDocumentView> GetApprovalDocument()
    {
        var approval = RequireModel().Approval
            ?? throw new GovernanceException(ErrorCodes.ApprovalNotFound, "The model has no approval.");
        var document = ApprovalDocument.Canonical(GrainKey, approval);
        return Task.FromResult(new ApprovalDocumentView(
            approval.ApprovalId, document, Convert.ToBase64String(ApprovalDocument.SigningInput(document))));
    }

    public async Task<ApprovalView> AddSignature(Caller caller, SignatureRequest request)
    {
        ApproverKey? key = null;
        if (Identifiers.IsValidId(request.KeyId))
        {
            var view = await grains.GetGrain<IApproverKeysGrain>(caller.Principal).GetKey(request.KeyId!);
            key = view is null ? null : new ApproverKey(view.Principal, view.KeyId, Convert.FromBase64String(view.PublicKey), view.RevokedAt is not null);
        }

        var now = clock.GetUtcNow();
        await ApplyAsync(ModelStateMachine.AddSignature(RequireModel(), caller, request, key, now));
        return ModelViews.Approval(GrainKey, State.Approval!, now);
    }

    public async Task<PromotionResult> Deploy(Caller caller, DeploymentRequest request)
    {
        var now = clock.GetUtcNow();
        await ApplyAsync(ModelStateMachine.Deploy(RequireModel(), caller, request, now));
        var approval = State.Approval!;
        var deployment = approval.Deployments[^1];
        return new PromotionResult(
            GrainKey, approval.ApprovalId, deployment.Environment, deployment.Scope, Promoted: true,
            Rfc3339.Milliseconds(deployment.DeployedAt), deployment.DeployedBy, deployment.EvidenceSeq);
    }

    public async Task<ApprovalView> Revoke(Caller caller, RevocationRequest request)
    {
        var now = clock.GetUtcNow();
        await ApplyAsync(ModelStateMachine.Revoke(RequireModel(), caller, request, now));
        return ModelViews.Approval(GrainKey, State.Approval!, now);
    }

    public Task<ModelView> GetModel() => Task.FromResult(ModelViews.Model(RequireModel(), ETag, clock.GetUtcNow()));

    public Task<DriftContext> GetDriftContext()
    {
        var state = RequireModel();
        return Task.FromResult(new DriftContext(
            state.Training?.Metrics, state.Approval?.Profile ?? BuiltInPolicyCatalog.DefaultProfile, state.LatestDrift?.Seq ?? 0, state.DriftObservations));
    }

    public async Task<DriftView> RecordDrift(IReadOnlyList<DriftRecord> records)
    {
        if (TakeUnsavedStateLost())
        {
            // Results kept unsaved were dropped with a failed write: applying these on the stored
            // state would skip them for good. The stream hands them back from its saved checkpoint.
            throw new StreamRedeliveryRequiredException(
                $"Model '{GrainKey}' lost drift results it had not written yet; its drift stream must deliver them again.");
        }

        var profile = State.Approval is { } approval ? policies.Find(approval.Profile) : null;
        var (transition, raised) = ModelStateMachine.RecordDrift(RequireModel(), records, profile, clock.GetUtcNow());
        var onlyLatestDrift = !ReferenceEquals(transition.State, State)
            && transition.Events.Count == 0 && transition.Reminders.Count == 0 && transition.RefusalAfterWrite is null;
        if (onlyLatestDrift)
        {
            // Only the latest drift moved (no evidence, no status change): written at the drift
            // stream's next checkpoint (SaveDrift), or with this model's next write, whichever is first.
            KeepUnsaved(transition.State);
        }
        else
        {
            await ApplyAsync(transition);
        }

        foreach (var alert in raised)
        {
            alerts.Publish(alert);
        }

        return ModelViews.Drift(State.LatestDrift ?? throw new GovernanceException(ErrorCodes.NotFound, $"Model '{GrainKey}' has no drift result."));
    }

    public async Task<bool> SaveDrift(long throughSeq)
    {
        if (TakeUnsavedStateLost() || (State.LatestDrift?.Seq ?? 0) < throughSeq)
        {
            return false;
        }

        await SaveUnsavedStateAsync();
        return true;
    }

    public Task<VerifyDecision> Verify(VerifyQuery query) =>
        Task.FromResult(ModelStateMachine.Verify(State, query, clock.GetUtcNow()));

    public Task<EvidencePage> GetEvidence(long afterSeq, int limit)
    {
        RequireModel();
        return EvidenceQueries.PageAsync((after, count) => ReadLedgerAsync(GrainKey, after, count), afterSeq, limit);
    }

    public Task<ChainVerification> VerifyEvidence()
    {
        var state = RequireModel();
        return EvidenceQueries.VerifyAsync(GrainKey, (after, count) => ReadLedgerAsync(GrainKey, after, count), state.LedgerSeq, state.LedgerHead);
    }

    public async Task ReceiveReminder(string name, DateTimeOffset dueAt)
    {
        if (name == ModelStateMachine.ExpiryReminder)
        {
            await ApplyAsync(ModelStateMachine.Expire(State, dueAt, clock.GetUtcNow()));
        }
    }

    private ModelState RequireModel() =>
        State.Exists ? State : throw new GovernanceException(ErrorCodes.NotFound, $"Model '{GrainKey}' is not known.");

    private async Task ApplyAsync(ModelTransition transition)
    {
        // A transition that changes nothing returns the very state it was given: no write.
        if (!ReferenceEquals(transition.State, State) || transition.Events.Count > 0 || transition.Reminders.Count > 0)
        {
            var state = transition.State;
            var append = EvidenceAppend.Create(GrainKey, state.LedgerSeq, state.LedgerHead, transition.Events, clock.GetUtcNow());
            await WriteStateAsync(state with { LedgerSeq = append.Seq, LedgerHead = append.Head }, append.Records, transition.Reminders);
        }

        if (transition.RefusalAfterWrite is { } refusal)
        {
            throw refusal;
        }
    }
}
