using Microsoft.Extensions.DependencyInjection;
using Governance.Grains.Drift;
using Governance.Grains.Evidence;
using Governance.Grains.Keys;
using Governance.Grains.Policy;
using Governance.Grains.Wire;
using Governance.Storage;
using Microsoft.Extensions.Logging;

namespace Governance.Grains.Models;

/// <summary>
/// The actor of one model: runs <see cref="ModelStateMachine"/> one command at a time and commits
/// each transition's state and ledger entries in a single write. A live approval holds one Orleans
/// reminder due at its expiry, set after the write commits (the silos' expiry catch-up covers a
/// reminder that was not set or whose tick was missed).
/// </summary>
[GrainType("model")]
public sealed class ModelGovernanceGrain(
    [PersistentState("state", GovernanceStorageNames.GrainStorage)] IPersistentState<EvidencedState<ModelState>> storage,
    ILedgerReader ledger,
    [FromKeyedServices(GovernanceClock.ServiceKey)] TimeProvider clock,
    IPolicyCatalog policies,
    IDriftAlertSink alerts,
    ApproverKeysReferences keyGrains,
    ILogger<ModelGovernanceGrain> logger)
    : GovernedGrain<ModelState>(storage, ledger), IModelGovernanceGrain, IRemindable
{
    /// <summary>
    /// The expiry reminder's period. Orleans reminders repeat; the first tick at the expiry does the
    /// work and unregisters it, a later tick only comes when that failed.
    /// </summary>
    private static readonly TimeSpan ExpiryReminderPeriod = TimeSpan.FromMinutes(1);

    /// <summary>The pending approval's signing document, kept while it collects signatures.</summary>
    private SigningDocument? _document;

    protected override ModelState CreateEmptyState() => ModelStateMachine.Empty(GrainKey);

    /// <summary>Listed by stored status; only a live approval has a deadline (an ended one expires nothing).</summary>
    protected override (string? Label, DateTimeOffset? Deadline) Project(ModelState state) =>
        (state.Approval?.Status ?? (state.Training is null ? null : ApprovalStatus.Trained),
         state.Approval is { } approval && ApprovalStatus.IsLive(approval.Status) ? approval.ExpiresAt : null);

    public async Task<TrainingView> RecordTraining(TrainingOutputRequest request)
    {
        await ApplyAsync(ModelStateMachine.RecordTraining(State, CallerContext.Require(), request, clock.GetUtcNow()));
        return ModelViews.Training(GrainKey, State.Training!);
    }

    public async Task<ApprovalView> SubmitApproval(ApprovalRequest request)
    {
        var now = clock.GetUtcNow();
        await ApplyAsync(ModelStateMachine.Submit(State, CallerContext.Require(), request, policies, Guid.CreateVersion7().ToString(), now));
        return ModelViews.Approval(GrainKey, State.Approval!, now);
    }

    public Task<ApprovalDocumentView> GetApprovalDocument()
    {
        var approval = RequireModel().Approval
            ?? throw new GovernanceException(ErrorCodes.ApprovalNotFound, "The model has no approval.");
        var document = DocumentOf(approval);
        return Task.FromResult(new ApprovalDocumentView(approval.ApprovalId, document.Document, Convert.ToBase64String(document.SigningInput)));
    }

    public async Task<ApprovalView> AddSignature(SignatureRequest request)
    {
        var caller = CallerContext.Require();
        ApproverKey? key = null;
        if (Identifiers.IsValidId(request.KeyId))
        {
            var view = await keyGrains.For(caller.Principal).GetKey(request.KeyId!);
            key = view is null ? null : new ApproverKey(view.Principal, view.KeyId, Convert.FromBase64String(view.PublicKey), view.RevokedAt is not null);
        }

        var now = clock.GetUtcNow();
        var model = RequireModel();
        await ApplyAsync(ModelStateMachine.AddSignature(model, caller, request, key, now, model.Approval is { } pending ? DocumentOf(pending) : null));
        var approval = State.Approval!;
        if (approval.Status != ApprovalStatus.Pending)
        {
            // No more signatures: the activation need not hold the document any longer.
            _document = null;
        }

        return ModelViews.Approval(GrainKey, approval, now);
    }

    public async Task<PromotionResult> Deploy(DeploymentRequest request)
    {
        var now = clock.GetUtcNow();
        await ApplyAsync(ModelStateMachine.Deploy(RequireModel(), CallerContext.Require(), request, now));
        var approval = State.Approval!;
        var deployment = approval.Deployments[^1];
        return new PromotionResult(
            GrainKey, approval.ApprovalId, deployment.Environment, deployment.Scope, Promoted: true,
            Rfc3339.Milliseconds(deployment.DeployedAt), deployment.DeployedBy, deployment.EvidenceSeq);
    }

    public async Task<ApprovalView> Revoke(RevocationRequest request)
    {
        var now = clock.GetUtcNow();
        await ApplyAsync(ModelStateMachine.Revoke(RequireModel(), CallerContext.Require(), request, now));
        return ModelViews.Approval(GrainKey, State.Approval!, now);
    }

    public Task<ModelView> GetModel() => Task.FromResult(ModelViews.Model(RequireModel(), ETag, clock.GetUtcNow()));

    public Task<DriftContext> GetDriftContext()
    {
        var state = RequireModel();
        return Task.FromResult(new DriftContext(
            state.Training?.Metrics, state.Approval?.Profile ?? BuiltInPolicyCatalog.DefaultProfile, state.LatestDrift?.Seq ?? 0, state.DriftObservations));
    }

    public async Task<DriftAccepted> ObserveDrift(DriftObservationRequest request)
    {
        var serving = MetricValidation.Require(request.ServingMetrics, "serving_metrics", allowEmpty: false);
        var given = request.TrainingMetrics is null ? null : MetricValidation.Require(request.TrainingMetrics, "training_metrics", allowEmpty: false);
        var distribution = request.Distribution is null
            ? null
            : new DistributionSample(
                MetricValidation.RequireSample(request.Distribution.Training, "distribution.training"),
                MetricValidation.RequireSample(request.Distribution.Serving, "distribution.serving"));
        var baseline = (IReadOnlyDictionary<string, double>?)given ?? RequireModel().Training?.Metrics
            ?? throw new GovernanceException(ErrorCodes.TrainingMissing, "The model has no recorded training metrics; give training_metrics.", "training_metrics");
        var observation = new DriftObservation(
            1, Guid.CreateVersion7().ToString(), GrainKey, CallerContext.Require().Principal, Rfc3339.Milliseconds(clock.GetUtcNow()), serving, baseline, distribution);
        // Completes once the stream provider committed the event: accepted means it will be applied.
        await this.GetStreamProvider(DriftStreams.ProviderName)
            .GetStream<DriftObservation>(StreamId.Create(DriftStreams.Namespace, GrainKey))
            .OnNextAsync(observation);
        return new DriftAccepted(observation.EventId);
    }

    public async Task<DriftView> RecordDrift(IReadOnlyList<DriftRecord> records)
    {
        var profile = State.Approval is { } approval ? policies.Find(approval.Profile) : null;
        var (transition, raised) = ModelStateMachine.RecordDrift(RequireModel(), records, profile, clock.GetUtcNow());
        await ApplyAsync(transition);
        foreach (var alert in raised)
        {
            alerts.Publish(alert);
        }

        return ModelViews.Drift(State.LatestDrift ?? throw new GovernanceException(ErrorCodes.NotFound, $"Model '{GrainKey}' has no drift result."));
    }

    public async Task<DriftProgress> RecordDriftEvents(IReadOnlyList<DriftStreamEvent> events)
    {
        var state = RequireModel();
        var thresholds = (policies.Find(state.Approval?.Profile ?? BuiltInPolicyCatalog.DefaultProfile) ?? BuiltInPolicyCatalog.Default).DriftOrDefault;
        var lastSeq = state.LatestDrift?.Seq ?? 0;
        var records = new List<DriftRecord>(events.Count);
        foreach (var (seq, observation) in events)
        {
            if (seq > lastSeq)
            {
                var result = DriftCalculator.Compute(observation.TrainingMetrics, observation.ServingMetrics, observation.Distribution, thresholds);
                records.Add(new DriftRecord(observation.EventId, seq, observation.ObservedAt, result));
            }
        }

        if (records.Count > 0)
        {
            await RecordDrift(records);
        }

        return new DriftProgress(State.DriftObservations, State.LatestDrift?.Seq ?? 0);
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

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ModelStateMachine.ExpiryReminder)
        {
            return;
        }

        await ExpireIfDue();
        if (State.Approval is not { } approval || !ApprovalStatus.IsLive(approval.Status))
        {
            await ChangeReminderAsync(ReminderChange.Remove(ModelStateMachine.ExpiryReminder));
        }
    }

    public Task ExpireIfDue()
    {
        var now = clock.GetUtcNow();
        return State.Approval is { } approval && ApprovalStatus.IsLive(approval.Status) && approval.ExpiresAt <= now
            ? ApplyAsync(ModelStateMachine.Expire(State, approval.ExpiresAt, now))
            : Task.CompletedTask;
    }

    /// <summary>The approval's signing document, computed once while it is the pending one.</summary>
    private SigningDocument DocumentOf(ApprovalRecord approval)
    {
        if (_document is { } cached && cached.ApprovalId == approval.ApprovalId)
        {
            return cached;
        }

        var document = SigningDocument.Of(GrainKey, approval);
        if (approval.Status == ApprovalStatus.Pending)
        {
            _document = document;
        }

        return document;
    }

    private ModelState RequireModel() =>
        State.Exists ? State : throw new GovernanceException(ErrorCodes.NotFound, $"Model '{GrainKey}' is not known.");

    private async Task ApplyAsync(ModelTransition transition)
    {
        // A transition that changes nothing returns the very state it was given: no write.
        if (!ReferenceEquals(transition.State, State) || transition.Events.Count > 0)
        {
            var state = transition.State;
            var append = EvidenceAppend.Create(GrainKey, state.LedgerSeq, state.LedgerHead, transition.Events, clock.GetUtcNow());
            await WriteStateAsync(state with { LedgerSeq = append.Seq, LedgerHead = append.Head }, append.Records);
        }

        foreach (var change in transition.Reminders)
        {
            await ChangeReminderAsync(change);
        }

        if (transition.RefusalAfterWrite is { } refusal)
        {
            throw refusal;
        }
    }

    /// <summary>
    /// Sets or removes a reminder once the state that asks for it committed. A failure here does not
    /// undo the command: the decision compares with the clock, and the expiry catch-up of every silo
    /// finds a live approval past its expiry from the stored state.
    /// </summary>
    private async Task ChangeReminderAsync(ReminderChange change)
    {
        try
        {
            if (change.DueAt is { } dueAt)
            {
                var dueIn = dueAt - clock.GetUtcNow();
                await this.RegisterOrUpdateReminder(change.Name, dueIn > TimeSpan.Zero ? dueIn : TimeSpan.Zero, ExpiryReminderPeriod);
            }
            else if (await this.GetReminder(change.Name) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            GrainsLog.ReminderChangeFailed(logger, exception, GrainKey, change.Name);
        }
    }
}
