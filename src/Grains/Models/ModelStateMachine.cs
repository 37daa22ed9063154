using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Canonical;
using Governance.Crypto;
using Governance.Grains.Evidence;
using Governance.Grains.Ledger;
using Governance.Grains.Policy;
using Governance.Grains.Wire;

namespace Governance.Grains.Models;

/// <summary>
/// The approval state machine of one model (DESIGN §5.1–5.5, §5.7), as pure functions of the
/// current state, the command and the clock. Every command first settles an approval whose expiry
/// has passed, so no decision ever rests on a stale status.
/// </summary>
public static class ModelStateMachine
{
    public const string ExpiryReminder = "approval-expiry";
    public const int MaxRequiredApprovers = 100;
    public const int MaxJsonObjectBytes = 64 * 1024;
    public const int MaxReasonLength = 1024;
    private const double MaxTtlDays = 36_500;

    public static ModelState Empty(string modelId) =>
        new(ModelState.CurrentSchemaVersion, modelId, null, null, 0, LedgerChain.GenesisHash);

    public static ModelTransition RecordTraining(ModelState state, Caller caller, TrainingOutputRequest request, DateTimeOffset now)
    {
        var weightsHash = RequireWeightsHash(request.WeightsHash, "weights_hash");
        var metrics = MetricValidation.Require(request.Metrics, "metrics");
        var card = RequireObject(request.Card, "card", required: true)!.Value;
        var metadata = RequireObject(request.Metadata, "metadata", required: false);
        var correlationId = OptionalText(request.CorrelationId, "correlation_id");

        var (settled, events, reminders) = Settle(state, now);
        var at = Rfc3339.TruncateToMilliseconds(now);
        var training = new TrainingRecord(
            weightsHash, new Dictionary<string, double>(metrics, StringComparer.Ordinal), card, correlationId, metadata,
            caller.Principal, at, settled.LedgerSeq + events.Count + 1);
        events.Add(new EvidenceEvent(LedgerEvents.TrainingCompleted, caller.Principal, new JsonObject
        {
            ["weights_hash"] = weightsHash,
            ["metrics"] = MetricsNode(training.Metrics),
            ["correlation_id"] = correlationId,
        }));
        return new ModelTransition(settled with { Training = training }, events, reminders);
    }

    public static ModelTransition Submit(
        ModelState state, Caller caller, ApprovalRequest request, IPolicyCatalog policies, string approvalId, DateTimeOffset now)
    {
        var environments = RequireIdList(request.ApprovedEnvironments, "approved_environments", required: true)!;
        var scopes = RequireIdList(request.ApprovedScopes, "approved_scopes", required: false);
        var required = request.RequiredApprovers
            ?? throw GovernanceException.Invalid("required_approvers", "required_approvers is required.");
        if (required is < 1 or > MaxRequiredApprovers)
        {
            throw GovernanceException.Invalid("required_approvers", $"required_approvers must be between 1 and {MaxRequiredApprovers}.");
        }

        if (request.ApprovalTtlDays is not null && request.ApprovalTtlSeconds is not null)
        {
            throw GovernanceException.Invalid("approval_ttl_days", "Give approval_ttl_days or approval_ttl_seconds, not both.");
        }

        var profileName = request.Profile ?? BuiltInPolicyCatalog.DefaultProfile;
        if (!Identifiers.IsValidId(profileName))
        {
            throw GovernanceException.Invalid("profile", "profile must be 1–128 characters of [A-Za-z0-9._:-].");
        }

        var requestedTtl = RequestedTtl(request);

        var (settled, events, reminders) = Settle(state, now);
        if (settled.Training is not { } training)
        {
            throw new GovernanceException(ErrorCodes.TrainingMissing, "No training output is recorded for this model.");
        }

        var active = settled.Approval is { } current && ApprovalStatus.IsLive(current.Status) ? current : null;
        if (active is not null && request.Supersede != true)
        {
            throw new GovernanceException(ErrorCodes.ApprovalActive, $"Approval {active.ApprovalId} is {active.Status}; send \"supersede\": true to replace it.");
        }

        var profile = policies.Find(profileName);
        if (profile is null)
        {
            var unknown = new PolicyFailure("profile", profileName, null, $"Profile '{profileName}' is unknown.");
            events.Add(PolicyEvaluated(caller, profileName, null, null, null, [unknown], approvalId: null));
            return Refuse(settled, events, reminders, [unknown]);
        }

        var ttl = requestedTtl ?? TimeSpan.FromDays(profile.DefaultTtlDays);
        var evaluation = PolicyEvaluator.Evaluate(profile, training, environments, required, ttl, now);
        if (!evaluation.Passed)
        {
            events.Add(PolicyEvaluated(caller, profile.Name, profile.Version, evaluation.ProfileSha256, evaluation.InputsSha256, evaluation.Failures, approvalId: null));
            return Refuse(settled, events, reminders, evaluation.Failures);
        }

        events.Add(PolicyEvaluated(caller, profile.Name, profile.Version, evaluation.ProfileSha256, evaluation.InputsSha256, [], approvalId));
        if (active is not null)
        {
            var superseded = active with
            {
                Status = ApprovalStatus.Revoked,
                Revocation = new RevocationRecord("superseded", caller.Principal, now),
            };
            settled = settled with { Approval = superseded };
            events.Add(new EvidenceEvent(LedgerEvents.ApprovalSuperseded, caller.Principal, new JsonObject
            {
                ["approval_id"] = active.ApprovalId,
                ["superseded_by"] = approvalId,
            }));
        }

        var submittedAt = Rfc3339.TruncateToSeconds(now);
        var approval = new ApprovalRecord(
            approvalId, training.WeightsHash, training.TrainedBy, caller.Principal, submittedAt,
            Rfc3339.TruncateToSeconds(submittedAt + ttl), profile.Name, training.CorrelationId, environments, scopes, required,
            ApprovalStatus.Pending, [], [], null, null);
        events.Add(new EvidenceEvent(LedgerEvents.ApprovalSubmitted, caller.Principal, new JsonObject
        {
            ["approval_id"] = approvalId,
            ["weights_hash"] = approval.WeightsHash,
            ["required_approvers"] = required,
            ["approved_environments"] = StringArray(environments),
            ["approved_scopes"] = scopes is null ? null : StringArray(scopes),
            ["expires_at"] = Rfc3339.Seconds(approval.ExpiresAt),
            ["profile"] = profile.Name,
        }));
        reminders = [.. reminders.Where(r => r.Name != ExpiryReminder), new ReminderChange(ExpiryReminder, approval.ExpiresAt)];
        return new ModelTransition(settled with { Approval = approval }, events, reminders);
    }

    /// <param name="document">The approval's signing document when the caller has it already (it never
    /// changes for an approval id); computed here otherwise.</param>
    public static ModelTransition AddSignature(
        ModelState state, Caller caller, SignatureRequest request, ApproverKey? key, DateTimeOffset now, SigningDocument? document = null)
    {
        var approvalId = RequireText(request.ApprovalId, "approval_id");
        var keyId = RequireId(request.KeyId, "key_id");
        var signatureText = RequireText(request.Signature, "signature");
        var signature = DecodeBase64(signatureText, "signature", Ed25519.SignatureSize);

        var (settled, events, reminders) = Settle(state, now);
        var approval = RequireApproval(settled, approvalId);
        // Bytes, not text: a signature stored before the canonical base64 rule keeps its text verbatim.
        if (approval.Signatures.Any(s => s.Principal == caller.Principal && s.KeyId == keyId && CanonicalBase64.DecodesTo(s.Signature, signature)))
        {
            return new ModelTransition(settled, events, reminders);
        }

        if (approval.Status != ApprovalStatus.Pending)
        {
            throw new GovernanceException(ErrorCodes.ApprovalNotPending, $"Approval {approval.ApprovalId} is {approval.Status}; signatures are accepted only while pending.");
        }

        if (approval.Signatures.Any(s => s.Principal == caller.Principal))
        {
            throw new GovernanceException(ErrorCodes.Conflict, $"{caller.Principal} already signed approval {approval.ApprovalId} with another signature.");
        }

        if (caller.Principal == approval.TrainedBy)
        {
            throw new GovernanceException(ErrorCodes.SeparationOfDuties, $"{caller.Principal} recorded the training output and may not sign its approval.");
        }

        if (key is null)
        {
            throw new GovernanceException(ErrorCodes.KeyUnknown, $"Key '{keyId}' of {caller.Principal} is not registered.", "key_id");
        }

        if (key.Revoked)
        {
            throw new GovernanceException(ErrorCodes.KeyRevoked, $"Key '{keyId}' of {caller.Principal} is revoked.", "key_id");
        }

        if (document is null || document.ApprovalId != approval.ApprovalId)
        {
            document = SigningDocument.Of(settled.ModelId, approval);
        }

        if (!Ed25519.Verify(key.PublicKey, document.SigningInput, signature))
        {
            throw new GovernanceException(ErrorCodes.SignatureInvalid, $"The signature does not verify with key '{keyId}' over approval {approval.ApprovalId}.", "signature");
        }

        var signatures = approval.Signatures.Append(new SignatureRecord(caller.Principal, keyId, signatureText, now)).ToArray();
        approval = approval with { Signatures = signatures };
        events.Add(new EvidenceEvent(LedgerEvents.SignatureAdded, caller.Principal, new JsonObject
        {
            ["approval_id"] = approval.ApprovalId,
            ["principal"] = caller.Principal,
            ["key_id"] = keyId,
        }));
        if (signatures.Length >= approval.RequiredApprovers)
        {
            approval = approval with { Status = ApprovalStatus.QuorumReached, QuorumReachedAt = now };
            events.Add(new EvidenceEvent(LedgerEvents.QuorumReached, caller.Principal, new JsonObject
            {
                ["approval_id"] = approval.ApprovalId,
                ["signers"] = StringArray(signatures.Select(s => s.Principal).Order(StringComparer.Ordinal).ToArray()),
            }));
        }

        return new ModelTransition(settled with { Approval = approval }, events, reminders);
    }

    public static ModelTransition Deploy(ModelState state, Caller caller, DeploymentRequest request, DateTimeOffset now)
    {
        var approvalId = RequireText(request.ApprovalId, "approval_id");
        var environment = RequireId(request.Environment, "environment");
        var scope = request.Scope is null ? null : RequireId(request.Scope, "scope");
        var weightsHash = RequireWeightsHash(request.WeightsHash, "weights_hash");

        var (settled, events, reminders) = Settle(state, now);
        var approval = RequireApproval(settled, approvalId);
        var refusal = FirstFailedGate(approval, environment, scope, weightsHash, now)
            ?? (caller.Principal == approval.TrainedBy || approval.Signatures.Any(s => s.Principal == caller.Principal)
                ? ErrorCodes.SeparationOfDuties
                : null);
        if (refusal is not null)
        {
            throw new GovernanceException(refusal, GateMessage(refusal, approval, caller));
        }

        var seq = settled.LedgerSeq + events.Count + 1;
        var deployment = new DeploymentRecord(environment, scope, caller.Principal, now, seq);
        // The state keeps the latest deployment per (environment, scope); the ledger keeps every one.
        var others = approval.Deployments.Where(d => d.Environment != environment || d.Scope != scope);
        var deployed = approval with { Status = ApprovalStatus.Deployed, Deployments = [.. others, deployment] };
        events.Add(new EvidenceEvent(LedgerEvents.ModelDeployed, caller.Principal, new JsonObject
        {
            ["approval_id"] = approval.ApprovalId,
            ["environment"] = environment,
            ["scope"] = scope,
        }));
        return new ModelTransition(settled with { Approval = deployed }, events, reminders);
    }

    public static ModelTransition Revoke(ModelState state, Caller caller, RevocationRequest request, DateTimeOffset now) =>
        Revoke(state, caller.Principal, RequireText(request.Reason, "reason", MaxReasonLength), now);

    /// <summary>Ends the live approval (manual or drift revocation).</summary>
    public static ModelTransition Revoke(ModelState state, string actor, string reason, DateTimeOffset now)
    {
        var (settled, events, reminders) = Settle(state, now);
        if (settled.Approval is not { } approval || !ApprovalStatus.IsLive(approval.Status))
        {
            throw new GovernanceException(ErrorCodes.ApprovalNotActive, "The model has no live approval to revoke.");
        }

        var revoked = approval with { Status = ApprovalStatus.Revoked, Revocation = new RevocationRecord(reason, actor, now) };
        events.Add(new EvidenceEvent(LedgerEvents.ApprovalRevoked, actor, new JsonObject
        {
            ["approval_id"] = approval.ApprovalId,
            ["reason"] = reason,
        }));
        return new ModelTransition(settled with { Approval = revoked }, events, [.. reminders, ReminderChange.Remove(ExpiryReminder)]);
    }

    /// <summary>
    /// Several drift results in stream order as one transition (one write): each is applied as
    /// <see cref="RecordDrift(ModelState, DriftRecord, PolicyProfile?, DateTimeOffset)"/> would,
    /// replays skipped. Also returns the alerts the applied results raised, in order.
    /// </summary>
    public static (ModelTransition Transition, IReadOnlyList<DriftAlert> Alerts) RecordDrift(
        ModelState state, IReadOnlyList<DriftRecord> records, PolicyProfile? profile, DateTimeOffset now)
    {
        var current = state;
        var events = new List<EvidenceEvent>();
        var reminders = new List<ReminderChange>();
        var alerts = new List<DriftAlert>();
        foreach (var record in records)
        {
            var step = RecordDrift(current, record, profile, now);
            if (step.State.LatestDrift is { Alert: { } alert } latest && !ReferenceEquals(latest, current.LatestDrift))
            {
                alerts.Add(alert);
            }

            current = step.State;
            events.AddRange(step.Events);
            reminders.AddRange(step.Reminders);
        }

        return (new ModelTransition(current, events, reminders), alerts);
    }

    /// <summary>
    /// Records a drift result: the latest drift always, <c>drift_detected</c> when drifted, and a
    /// revocation by the drift detector when the profile's auto-revoke threshold is reached (or, where
    /// the profile asks, on distribution drift). A result at or before the last recorded seq is a replay.
    /// </summary>
    public static ModelTransition RecordDrift(ModelState state, DriftRecord record, PolicyProfile? profile, DateTimeOffset now)
    {
        if (state.LatestDrift is { } latest && record.Seq <= latest.Seq)
        {
            return new ModelTransition(state, [], []);
        }

        var (settled, events, reminders) = Settle(state, now);
        var result = record.Result;
        var live = settled.Approval is { } approval && ApprovalStatus.IsLive(approval.Status) ? approval : null;
        var revokeReason = live is null ? null : RevocationReason(result, profile);
        var drifted = result.Drifted || result.DistributionDrifted;
        var alert = drifted
            ? new DriftAlert(settled.ModelId, record.EventId, live?.ApprovalId ?? settled.Approval?.ApprovalId, result.AlertSeverity, result.Action, result.Severity,
                revokeReason is not null, revokeReason ?? $"Drift severity {EcmaScriptNumber.Format(result.Severity)}: {result.Action}.")
            : null;
        if (drifted)
        {
            events.Add(new EvidenceEvent(LedgerEvents.DriftDetected, SystemActors.DriftDetector, new JsonObject
            {
                ["event_id"] = record.EventId,
                ["approval_id"] = settled.Approval?.ApprovalId,
                ["result"] = JsonSerializer.SerializeToNode(result, GovernanceJsonContext.Default.DriftResult),
            }));
        }

        settled = settled with
        {
            LatestDrift = new DriftSnapshot(record.EventId, record.Seq, record.ObservedAt, result, alert),
            DriftObservations = settled.DriftObservations + 1,
        };
        if (revokeReason is null)
        {
            return new ModelTransition(settled, events, reminders);
        }

        var revocation = Revoke(settled, SystemActors.DriftDetector, revokeReason, now);
        return new ModelTransition(revocation.State, [.. events, .. revocation.Events], [.. reminders, .. revocation.Reminders]);
    }

    /// <summary>
    /// The expiry reminder due at <paramref name="dueAt"/> fired: records the expiry if it is due;
    /// otherwise re-arms it strictly later than <paramref name="dueAt"/>, since the reminder table
    /// completes (deletes) a delivered reminder whose due time is unchanged.
    /// </summary>
    public static ModelTransition Expire(ModelState state, DateTimeOffset dueAt, DateTimeOffset now)
    {
        var (settled, events, reminders) = Settle(state, now);
        if (events.Count == 0 && settled.Approval is { } approval && ApprovalStatus.IsLive(approval.Status))
        {
            // Fired early (clock skew between nodes): come back at the real expiry.
            var next = approval.ExpiresAt > dueAt ? approval.ExpiresAt : dueAt.AddSeconds(1);
            reminders = [new ReminderChange(ExpiryReminder, next)];
        }

        return new ModelTransition(settled, events, reminders);
    }

    /// <summary>Deploy gates 2–5 without side effects (DESIGN §5.4, §5.7).</summary>
    public static VerifyDecision Verify(ModelState state, VerifyQuery query, DateTimeOffset now)
    {
        if (!state.Exists)
        {
            return new VerifyDecision(state.ModelId, false, ErrorCodes.NotFound, null, null, null);
        }

        if (state.Approval is not { } approval)
        {
            return new VerifyDecision(state.ModelId, false, ErrorCodes.ApprovalNotFound, state.StatusAt(now), null, null);
        }

        var refusal = FirstFailedGate(approval, query.Environment ?? "", query.Scope, query.WeightsHash, now);
        return new VerifyDecision(
            state.ModelId, refusal is null, refusal ?? "approved", approval.StatusAt(now), approval.ApprovalId, Rfc3339.Seconds(approval.ExpiresAt));
    }

    private static string? RevocationReason(DriftResult result, PolicyProfile? profile)
    {
        // An unknown profile fails closed: auto-revoke at the default threshold.
        var autoRevoke = profile?.AutoRevoke ?? true;
        var threshold = profile?.AutoRevokeSeverity ?? 0.8;
        if (autoRevoke && result.Drifted && result.Severity >= threshold)
        {
            return $"drift severity {EcmaScriptNumber.Format(result.Severity)} reached the auto-revoke threshold {EcmaScriptNumber.Format(threshold)}";
        }

        if (profile?.RevokeOnDistributionDrift == true && result.DistributionDrifted)
        {
            return $"distribution drift (ks {Statistic(result.Ks)}, psi {Statistic(result.Psi)})";
        }

        return null;
    }

    private static string Statistic(StatisticDrift? statistic) =>
        statistic is null ? "n/a" : EcmaScriptNumber.Format(Math.Round(statistic.Value, 6));

    /// <summary>Gates 2–5 in order; the code of the first that fails, or null. A null weights hash skips gate 5.</summary>
    private static string? FirstFailedGate(ApprovalRecord approval, string environment, string? scope, string? weightsHash, DateTimeOffset now)
    {
        var status = approval.StatusAt(now);
        return status == ApprovalStatus.Revoked ? ErrorCodes.ApprovalRevoked
            : status == ApprovalStatus.Expired ? ErrorCodes.ApprovalExpired
            : status == ApprovalStatus.Pending ? ErrorCodes.QuorumNotMet
            : !approval.Environments.Contains(environment, StringComparer.Ordinal) ? ErrorCodes.EnvironmentNotApproved
            : approval.Scopes is { } scopes && (scope is null || !scopes.Contains(scope, StringComparer.Ordinal)) ? ErrorCodes.ScopeNotApproved
            : weightsHash is not null && weightsHash != approval.WeightsHash ? ErrorCodes.WeightsMismatch
            : null;
    }

    private static string GateMessage(string code, ApprovalRecord approval, Caller caller) => code switch
    {
        ErrorCodes.ApprovalRevoked => $"Approval {approval.ApprovalId} is revoked.",
        ErrorCodes.ApprovalExpired => $"Approval {approval.ApprovalId} expired at {Rfc3339.Seconds(approval.ExpiresAt)}.",
        ErrorCodes.QuorumNotMet => $"Approval {approval.ApprovalId} has {approval.Signatures.Count} of {approval.RequiredApprovers} signatures.",
        ErrorCodes.EnvironmentNotApproved => $"The environment is not among {string.Join(", ", approval.Environments)}.",
        ErrorCodes.ScopeNotApproved => $"The scope is not among {string.Join(", ", approval.Scopes ?? [])}.",
        ErrorCodes.WeightsMismatch => "weights_hash differs from the approved weights.",
        ErrorCodes.SeparationOfDuties => $"{caller.Principal} trained or signed this model's approval and may not deploy it.",
        _ => code,
    };

    /// <summary>Records the expiry of a live approval whose time has passed, ahead of any command.</summary>
    private static (ModelState State, List<EvidenceEvent> Events, IReadOnlyList<ReminderChange> Reminders) Settle(ModelState state, DateTimeOffset now)
    {
        if (state.Approval is not { } approval || !ApprovalStatus.IsLive(approval.Status) || now < approval.ExpiresAt)
        {
            return (state, [], []);
        }

        var expired = approval with { Status = ApprovalStatus.Expired };
        List<EvidenceEvent> events =
        [
            new EvidenceEvent(LedgerEvents.ApprovalExpired, SystemActors.Timer, new JsonObject
            {
                ["approval_id"] = approval.ApprovalId,
                ["expires_at"] = Rfc3339.Seconds(approval.ExpiresAt),
            }),
        ];
        return (state with { Approval = expired }, events, [ReminderChange.Remove(ExpiryReminder)]);
    }

    private static ApprovalRecord RequireApproval(ModelState state, string approvalId)
    {
        if (state.Approval is not { } approval)
        {
            throw new GovernanceException(ErrorCodes.ApprovalNotFound, "The model has no approval.");
        }

        return approval.ApprovalId == approvalId
            ? approval
            : throw new GovernanceException(ErrorCodes.ApprovalMismatch, $"approval_id {approvalId} is not the model's current approval {approval.ApprovalId}.", "approval_id");
    }

    private static ModelTransition Refuse(
        ModelState state, List<EvidenceEvent> events, IReadOnlyList<ReminderChange> reminders, IReadOnlyList<PolicyFailure> failures) =>
        new(state, events, reminders, new GovernanceException(
            ErrorCodes.PolicyViolation, string.Join(" ", failures.Select(f => f.Message)), null, failures));

    private static EvidenceEvent PolicyEvaluated(
        Caller caller, string profile, string? version, string? profileSha256, string? inputsSha256,
        IReadOnlyList<PolicyFailure> failures, string? approvalId) =>
        new(LedgerEvents.PolicyEvaluated, caller.Principal, new JsonObject
        {
            ["approval_id"] = approvalId,
            ["profile"] = profile,
            ["version"] = version,
            ["profile_sha256"] = profileSha256,
            ["inputs_sha256"] = inputsSha256,
            ["passed"] = failures.Count == 0,
            ["failures"] = new JsonArray([.. failures.Select(f => (JsonNode)new JsonObject
            {
                ["rule"] = f.Rule,
                ["observed"] = f.Observed,
                ["bound"] = f.Bound,
                ["message"] = f.Message,
            })]),
        });

    private static TimeSpan? RequestedTtl(ApprovalRequest request)
    {
        if (request.ApprovalTtlDays is { } days)
        {
            return days >= 1.0 / 86_400 && days <= MaxTtlDays
                ? TimeSpan.FromDays(days)
                : throw GovernanceException.Invalid("approval_ttl_days", $"approval_ttl_days must be at least one second (1/86400) and at most {MaxTtlDays}.");
        }

        if (request.ApprovalTtlSeconds is { } seconds)
        {
            return seconds is > 0 and <= (long)(MaxTtlDays * 86_400)
                ? TimeSpan.FromSeconds(seconds)
                : throw GovernanceException.Invalid("approval_ttl_seconds", "approval_ttl_seconds must be a positive number of seconds within 100 years.");
        }

        return null;
    }

    private static string RequireWeightsHash(string? value, string field) =>
        Identifiers.IsValidWeightsHash(value)
            ? value!
            : throw GovernanceException.Invalid(field, $"{field} must be sha256:, sha384: or sha512: followed by 64, 96 or 128 lowercase hex digits.");

    private static string RequireId(string? value, string field) =>
        Identifiers.IsValidId(value)
            ? value!
            : throw GovernanceException.Invalid(field, $"{field} must be 1–128 characters of [A-Za-z0-9._:-].");

    private static string RequireText(string? value, string field, int maxLength = 256) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= maxLength
            ? value
            : throw GovernanceException.Invalid(field, $"{field} is required (at most {maxLength} characters).");

    private static string? OptionalText(string? value, string field) =>
        value is null || value.Length is > 0 and <= 256
            ? value
            : throw GovernanceException.Invalid(field, $"{field} must be 1–256 characters when given.");

    private static JsonElement? RequireObject(JsonElement? value, string field, bool required)
    {
        if (value is null || value.Value.ValueKind == JsonValueKind.Null)
        {
            return required ? throw GovernanceException.Invalid(field, $"{field} is required: a JSON object.") : null;
        }

        if (value.Value.ValueKind != JsonValueKind.Object)
        {
            throw GovernanceException.Invalid(field, $"{field} must be a JSON object.");
        }

        return value.Value.GetRawText().Length <= MaxJsonObjectBytes
            ? value.Value.Clone()
            : throw GovernanceException.Invalid(field, $"{field} must be at most {MaxJsonObjectBytes} bytes.");
    }

    private static string[]? RequireIdList(List<string>? values, string field, bool required)
    {
        if (values is null)
        {
            return required ? throw GovernanceException.Invalid(field, $"{field} is required: a non-empty list.") : null;
        }

        if (values.Count is 0 or > 64 || values.Any(v => !Identifiers.IsValidId(v)))
        {
            throw GovernanceException.Invalid(field, $"{field} must list 1–64 names of 1–128 characters of [A-Za-z0-9._:-].");
        }

        return [.. values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static byte[] DecodeBase64(string value, string field, int length) =>
        CanonicalBase64.TryDecode(value, length, out var bytes)
            ? bytes
            : throw GovernanceException.Invalid(field, $"{field} must be {CanonicalBase64.Requirement(length)}.");

    private static JsonArray StringArray(IReadOnlyList<string> values) => new([.. values.Select(v => JsonValue.Create(v))]);

    private static JsonObject MetricsNode(IReadOnlyDictionary<string, double> metrics) =>
        new([.. metrics.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)JsonValue.Create(m.Value)))]);
}
