using System.Globalization;
using System.Text.Json;
using Governance.Canonical;
using Governance.Grains.Drift;
using Governance.Grains.Ledger;
using Governance.Grains.Models;
using Governance.Grains.Policy;
using Governance.Grains.Tests.Models;
using Governance.Grains.Wire;
using Microsoft.Extensions.DependencyInjection;
using static Governance.Grains.Tests.Models.TestModels;

namespace Governance.Grains.Tests.Drift;

/// <summary>
/// <see cref="ModelStateMachine.RecordDrift"/>: the latest drift, <c>drift_detected</c> and the
/// auto-revoke by <c>system:drift-detector</c> (DESIGN §5.5, §5.7); and the same through the grain.
/// </summary>
[Trait("Category", "Unit")]
public class RecordDriftTests
{
    private const string ObservedAt = "2026-01-02T03:20:00Z";
    private static readonly DateTimeOffset DriftTime = SubmitTime.AddMinutes(10);
    private static readonly PolicyProfile DefaultProfile = BuiltInPolicyCatalog.Default;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static TheoryData<string> LiveStates => ["pending", "quorum_reached", "deployed"];

    [Theory]
    [MemberData(nameof(LiveStates))]
    public void Severe_drift_revokes_the_live_approval_as_the_drift_detector(string status)
    {
        var state = Live(status);
        var result = Severe();

        var transition = ModelStateMachine.RecordDrift(state, Record(result), DefaultProfile, DriftTime);

        Assert.Equal([LedgerEvents.DriftDetected, LedgerEvents.ApprovalRevoked], EvidenceAssert.Names(transition.Events));
        var detected = transition.Events[0];
        EvidenceAssert.Event(detected, LedgerEvents.DriftDetected, SystemActors.DriftDetector, "event_id", "approval_id", "result");
        Assert.Equal("drift-1", EvidenceAssert.Text(detected, "event_id"));
        Assert.Equal(FirstApprovalId, EvidenceAssert.Text(detected, "approval_id"));
        Assert.Equal(result.Severity, EvidenceAssert.Field(detected, "result")!["severity"]!.GetValue<double>());
        Assert.Equal("consider_revoke", EvidenceAssert.Field(detected, "result")!["action"]!.GetValue<string>());

        var severity = EcmaScriptNumber.Format(result.Severity);
        var revoked = transition.Events[1];
        EvidenceAssert.Event(revoked, LedgerEvents.ApprovalRevoked, SystemActors.DriftDetector, "approval_id", "reason");
        Assert.Equal(FirstApprovalId, EvidenceAssert.Text(revoked, "approval_id"));
        var reason = EvidenceAssert.Text(revoked, "reason")!;
        Assert.Contains($"severity {severity}", reason, StringComparison.Ordinal);
        Assert.Contains("threshold 0.8", reason, StringComparison.Ordinal);

        var approval = transition.State.Approval!;
        Assert.Equal(ApprovalStatus.Revoked, approval.Status);
        Assert.Equal(new RevocationRecord(reason, SystemActors.DriftDetector, DriftTime), approval.Revocation);
        Assert.Contains(ReminderChange.Remove(ModelStateMachine.ExpiryReminder), transition.Reminders);

        var latest = transition.State.LatestDrift!;
        Assert.Equal(("drift-1", 1L, ObservedAt), (latest.EventId, latest.Seq, latest.ObservedAt));
        Assert.Same(result, latest.Result);
        Assert.Equal(
            new DriftAlert(ModelId, "drift-1", FirstApprovalId, "critical", "consider_revoke", result.Severity, true, reason),
            latest.Alert);
    }

    [Fact]
    public void Mild_drift_records_drift_detected_only()
    {
        var state = Deployed();
        var result = ReadmeExample();

        var transition = ModelStateMachine.RecordDrift(state, Record(result), DefaultProfile, DriftTime);

        var detected = Assert.Single(transition.Events);
        EvidenceAssert.Event(detected, LedgerEvents.DriftDetected, SystemActors.DriftDetector, "event_id", "approval_id", "result");
        Assert.Empty(transition.Reminders);
        Assert.Equal(state.Approval, transition.State.Approval);
        var alert = transition.State.LatestDrift!.Alert!;
        Assert.Equal(("medium", "investigate", false, FirstApprovalId), (alert.Severity, alert.Action, alert.Revoked, alert.ApprovalId));
        Assert.Equal(0.552, alert.DriftSeverity, 3);
    }

    [Fact]
    public void No_drift_writes_no_ledger_event_but_updates_the_latest_drift()
    {
        var state = Deployed();
        var result = NoDrift();

        var transition = ModelStateMachine.RecordDrift(state, Record(result, seq: 7, eventId: "quiet"), DefaultProfile, DriftTime);

        Assert.Empty(transition.Events);
        Assert.Empty(transition.Reminders);
        Assert.Equal(state.Approval, transition.State.Approval);
        var latest = transition.State.LatestDrift!;
        Assert.Equal(("quiet", 7L), (latest.EventId, latest.Seq));
        Assert.Same(result, latest.Result);
        Assert.Null(latest.Alert);
    }

    [Fact]
    public void A_replayed_seq_changes_nothing()
    {
        var recorded = Commit(ModelStateMachine.RecordDrift(Deployed(), Record(NoDrift(), seq: 5), DefaultProfile, DriftTime), DriftTime);

        var same = ModelStateMachine.RecordDrift(recorded, Record(Severe(), seq: 5, eventId: "again"), DefaultProfile, DriftTime);
        var older = ModelStateMachine.RecordDrift(recorded, Record(Severe(), seq: 4, eventId: "older"), DefaultProfile, DriftTime);
        var newer = ModelStateMachine.RecordDrift(recorded, Record(Severe(), seq: 6, eventId: "newer"), DefaultProfile, DriftTime);

        foreach (var replay in new[] { same, older })
        {
            Assert.Same(recorded, replay.State);
            Assert.Empty(replay.Events);
            Assert.Empty(replay.Reminders);
        }

        Assert.Equal(ApprovalStatus.Revoked, newer.State.Approval!.Status);
        Assert.Equal("newer", newer.State.LatestDrift!.EventId);
    }

    [Fact]
    public void Several_results_in_one_transition_apply_in_order_revoke_once_and_skip_replays()
    {
        var recorded = Commit(ModelStateMachine.RecordDrift(Deployed(), Record(NoDrift(), seq: 2, eventId: "before"), DefaultProfile, DriftTime), DriftTime);

        var (transition, alerts) = ModelStateMachine.RecordDrift(
            recorded,
            [Record(Severe(), seq: 2, eventId: "replay"), Record(NoDrift(), seq: 3, eventId: "quiet"),
             Record(Severe(), seq: 4, eventId: "severe"), Record(Severe(), seq: 5, eventId: "severe-again")],
            DefaultProfile,
            DriftTime);

        Assert.Equal(
            [LedgerEvents.DriftDetected, LedgerEvents.ApprovalRevoked, LedgerEvents.DriftDetected],
            EvidenceAssert.Names(transition.Events));
        Assert.Equal(ApprovalStatus.Revoked, transition.State.Approval!.Status);
        Assert.Equal(("severe-again", 5L), (transition.State.LatestDrift!.EventId, transition.State.LatestDrift.Seq));
        Assert.Equal(recorded.DriftObservations + 3, transition.State.DriftObservations);
        Assert.Equal(["severe", "severe-again"], alerts.Select(a => a.EventId));
        Assert.True(alerts[0].Revoked);
        Assert.False(alerts[1].Revoked);
    }

    [Fact]
    public void Results_that_are_all_replays_change_nothing()
    {
        var recorded = Commit(ModelStateMachine.RecordDrift(Deployed(), Record(Severe(), seq: 4), DefaultProfile, DriftTime), DriftTime);

        var (transition, alerts) = ModelStateMachine.RecordDrift(
            recorded, [Record(Severe(), seq: 3, eventId: "old"), Record(Severe(), seq: 4, eventId: "same")], DefaultProfile, DriftTime);

        Assert.Same(recorded, transition.State);
        Assert.Empty(transition.Events);
        Assert.Empty(alerts);
    }

    [Fact]
    public void A_replayed_severe_observation_does_not_revoke_or_record_twice()
    {
        var once = Commit(ModelStateMachine.RecordDrift(Deployed(), Record(Severe(), seq: 3), DefaultProfile, DriftTime), DriftTime);

        var twice = ModelStateMachine.RecordDrift(once, Record(Severe(), seq: 3), DefaultProfile, DriftTime.AddSeconds(1));

        Assert.Empty(twice.Events);
        Assert.Same(once, twice.State);
    }

    [Fact]
    public void A_profile_without_auto_revoke_records_severe_drift_without_revoking()
    {
        var profile = DefaultProfile with { AutoRevoke = false };

        var transition = ModelStateMachine.RecordDrift(Deployed(), Record(Severe()), profile, DriftTime);

        Assert.Equal([LedgerEvents.DriftDetected], EvidenceAssert.Names(transition.Events));
        Assert.Equal(ApprovalStatus.Deployed, transition.State.Approval!.Status);
        Assert.False(transition.State.LatestDrift!.Alert!.Revoked);
        Assert.Equal("critical", transition.State.LatestDrift.Alert.Severity);
    }

    [Fact]
    public void A_lower_auto_revoke_severity_revokes_at_mild_drift()
    {
        var profile = DefaultProfile with { AutoRevokeSeverity = 0.5 };

        var transition = ModelStateMachine.RecordDrift(Deployed(), Record(ReadmeExample()), profile, DriftTime);

        Assert.Equal([LedgerEvents.DriftDetected, LedgerEvents.ApprovalRevoked], EvidenceAssert.Names(transition.Events));
        Assert.Contains("threshold 0.5", transition.State.Approval!.Revocation!.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.8, true)]
    [InlineData(0.7999999, false)]
    public void The_auto_revoke_threshold_is_inclusive(double severity, bool revokes)
    {
        var result = WithSeverity(severity);

        var transition = ModelStateMachine.RecordDrift(Deployed(), Record(result), DefaultProfile, DriftTime);

        Assert.Equal(revokes, transition.State.Approval!.Status == ApprovalStatus.Revoked);
    }

    [Fact]
    public void Severity_without_drift_does_not_revoke()
    {
        // Drifted is false (for instance held back by the confidence threshold): nothing is detected, nothing revoked.
        var result = WithSeverity(0.95) with { Drifted = false };

        var transition = ModelStateMachine.RecordDrift(Deployed(), Record(result), DefaultProfile, DriftTime);

        Assert.Empty(transition.Events);
        Assert.Equal(ApprovalStatus.Deployed, transition.State.Approval!.Status);
    }

    [Fact]
    public void Distribution_drift_revokes_only_where_the_profile_asks()
    {
        var result = DistributionOnly();
        var asking = DefaultProfile with { RevokeOnDistributionDrift = true };

        var underDefault = ModelStateMachine.RecordDrift(Deployed(), Record(result), DefaultProfile, DriftTime);
        var underAsking = ModelStateMachine.RecordDrift(Deployed(), Record(result), asking, DriftTime);

        Assert.Equal([LedgerEvents.DriftDetected], EvidenceAssert.Names(underDefault.Events));
        Assert.Equal(ApprovalStatus.Deployed, underDefault.State.Approval!.Status);

        Assert.Equal([LedgerEvents.DriftDetected, LedgerEvents.ApprovalRevoked], EvidenceAssert.Names(underAsking.Events));
        var revocation = underAsking.State.Approval!.Revocation!;
        Assert.Equal(SystemActors.DriftDetector, revocation.RevokedBy);
        Assert.StartsWith("distribution drift (ks 0.5, psi 4.346303", revocation.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_asking_for_distribution_revokes_does_not_revoke_without_distribution_drift()
    {
        var asking = DefaultProfile with { RevokeOnDistributionDrift = true };

        var transition = ModelStateMachine.RecordDrift(Deployed(), Record(ReadmeExample()), asking, DriftTime);

        Assert.Equal([LedgerEvents.DriftDetected], EvidenceAssert.Names(transition.Events));
        Assert.Equal(ApprovalStatus.Deployed, transition.State.Approval!.Status);
    }

    [Fact]
    public void Without_an_approval_drift_is_recorded_and_nothing_revoked()
    {
        var transition = ModelStateMachine.RecordDrift(Trained(), Record(Severe()), DefaultProfile, DriftTime);

        var detected = Assert.Single(transition.Events);
        Assert.Equal(LedgerEvents.DriftDetected, detected.Name);
        Assert.Null(EvidenceAssert.Text(detected, "approval_id"));
        Assert.Null(transition.State.Approval);
        Assert.False(transition.State.LatestDrift!.Alert!.Revoked);
        Assert.Null(transition.State.LatestDrift.Alert.ApprovalId);
    }

    [Fact]
    public void A_revoked_approval_is_not_revoked_again()
    {
        var revoked = Revoked();

        var transition = ModelStateMachine.RecordDrift(revoked, Record(Severe()), DefaultProfile, DriftTime.AddHours(1));

        Assert.Equal([LedgerEvents.DriftDetected], EvidenceAssert.Names(transition.Events));
        Assert.Equal(FirstApprovalId, EvidenceAssert.Text(transition.Events[0], "approval_id"));
        Assert.Equal(revoked.Approval!.Revocation, transition.State.Approval!.Revocation);
        Assert.Equal(Revoker, transition.State.Approval.Revocation!.RevokedBy);
    }

    [Fact]
    public void An_approval_past_its_expiry_expires_instead_of_being_revoked()
    {
        var afterExpiry = ExpiresAt.AddMinutes(1);

        var transition = ModelStateMachine.RecordDrift(Deployed(), Record(Severe()), DefaultProfile, afterExpiry);

        Assert.Equal([LedgerEvents.ApprovalExpired, LedgerEvents.DriftDetected], EvidenceAssert.Names(transition.Events));
        Assert.Equal(ApprovalStatus.Expired, transition.State.Approval!.Status);
        Assert.Null(transition.State.Approval.Revocation);
    }

    [Fact]
    public void An_unknown_profile_fails_closed_and_revokes_at_the_default_threshold()
    {
        var transition = ModelStateMachine.RecordDrift(Deployed(), Record(Severe()), profile: null, DriftTime);

        Assert.Equal(ApprovalStatus.Revoked, transition.State.Approval!.Status);
    }

    [Fact]
    public async Task The_grain_revokes_on_severe_drift_and_shows_it_on_the_model()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        await runtime.TrainAndSubmitAsync();

        var view = await Relay(runtime).RecordDrift([Record(Severe())]);

        Assert.True(view.Alert!.Revoked);
        var model = await runtime.Model().GetModel();
        Assert.Equal(ApprovalStatus.Revoked, model.Status);
        Assert.Equal(SystemActors.DriftDetector, model.Approval!.Revocation!.RevokedBy);
        Assert.Equal("drift-1", model.LatestDrift!.EventId);
        var events = (await runtime.EvidenceAsync()).Select(e => e.GetProperty("event").GetString()!).ToArray();
        Assert.Equal([LedgerEvents.DriftDetected, LedgerEvents.ApprovalRevoked], events[^2..]);
        Assert.True((await runtime.Model().VerifyEvidence()).Valid);
    }

    [Fact]
    public async Task The_grain_records_an_observation_without_drift_as_the_latest_drift()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        await runtime.TrainAndSubmitAsync();
        var ledgerBefore = (await runtime.EvidenceAsync()).Count;

        var view = await Relay(runtime).RecordDrift([Record(NoDrift(), seq: 1, eventId: "quiet-1")]);

        Assert.Equal("quiet-1", view.EventId);
        Assert.Null(view.Alert);
        Assert.Equal("quiet-1", (await runtime.Model().GetModel()).LatestDrift?.EventId);
        Assert.Equal(ledgerBefore, (await runtime.EvidenceAsync()).Count);
    }

    [Fact]
    public async Task The_grain_replaces_a_drifted_latest_drift_with_a_later_quiet_one()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        await runtime.TrainAndSubmitAsync();
        await Relay(runtime).RecordDrift([Record(ReadmeExample(), seq: 1, eventId: "loud-1")]);

        var view = await Relay(runtime).RecordDrift([Record(NoDrift(), seq: 2, eventId: "quiet-2")]);

        Assert.Equal("quiet-2", view.EventId);
        Assert.Equal("quiet-2", (await runtime.Model().GetModel()).LatestDrift?.EventId);
    }

    [Fact]
    public async Task Every_result_is_written_with_its_seq_and_a_replayed_seq_changes_nothing()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        await runtime.TrainAndSubmitAsync();
        var stored = await StoredETagAsync(runtime);

        await Relay(runtime).RecordDrift([Record(NoDrift(), seq: 3, eventId: "quiet-3")]);

        Assert.Equal(stored + 1, await StoredETagAsync(runtime));
        Assert.Contains("quiet-3", await runtime.StoredStateJsonAsync("model", ModelId), StringComparison.Ordinal);
        await Relay(runtime).RecordDrift([Record(NoDrift(), seq: 3, eventId: "quiet-3")]);
        Assert.Equal(stored + 1, await StoredETagAsync(runtime));

        await Relay(runtime).RecordDrift([Record(ReadmeExample(), seq: 4, eventId: "loud-4")]);

        Assert.Equal(stored + 2, await StoredETagAsync(runtime));
        Assert.Equal(LedgerEvents.DriftDetected, (await runtime.EvidenceAsync())[^1].GetProperty("event").GetString());
        Assert.Equal((2, 4L), ((await runtime.Model().GetDriftContext()).Observations, (await runtime.Model().GetDriftContext()).LastSeq));
    }

    [Fact]
    public async Task A_delivery_of_several_events_is_computed_under_the_models_profile_and_recorded_in_one_write()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        await runtime.TrainAndSubmitAsync();
        var stored = await StoredETagAsync(runtime);
        var baseline = Metrics(0.20, 0.90);
        DriftStreamEvent Event(long seq, string eventId, Dictionary<string, double> serving) =>
            new(seq, new DriftObservation(1, eventId, ModelId, "monitor", ObservedAt, serving, baseline, null));

        var progress = await Relay(runtime).RecordDriftEvents([Event(1, "quiet-1", baseline), Event(2, "severe-2", Metrics(0.40, 0.18))]);

        Assert.Equal((2L, 2L), (progress.Observations, progress.LastSeq));
        Assert.Equal(stored + 1, await StoredETagAsync(runtime));
        var model = await runtime.Model().GetModel();
        Assert.Equal((ApprovalStatus.Revoked, "severe-2"), (model.Status, model.LatestDrift!.EventId));

        var replayed = await Relay(runtime).RecordDriftEvents([Event(2, "severe-2", Metrics(0.40, 0.18))]);

        Assert.Equal(progress, replayed);
        Assert.Equal(stored + 1, await StoredETagAsync(runtime));
    }

    [Fact]
    public async Task A_failed_write_records_nothing_and_the_redelivered_result_is_recorded_once()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        await runtime.TrainAndSubmitAsync();
        await Relay(runtime).RecordDrift([Record(NoDrift(), seq: 3, eventId: "quiet-3")]);
        runtime.FailNextWrites(1);

        var refusal = await Assert.ThrowsAsync<GovernanceException>(() => Relay(runtime).RecordDrift([Record(Severe(), seq: 5, eventId: "severe-5")]));

        Assert.Equal(ErrorCodes.Unavailable, refusal.Code);
        var context = await runtime.Model().GetDriftContext();
        Assert.Equal((1, 3L), (context.Observations, context.LastSeq));
        Assert.Equal(ApprovalStatus.Pending, (await runtime.Model().GetModel()).Status);

        await Relay(runtime).RecordDrift([Record(Severe(), seq: 5, eventId: "severe-5")]);
        await Relay(runtime).RecordDrift([Record(Severe(), seq: 5, eventId: "severe-5")]);

        context = await runtime.Model().GetDriftContext();
        Assert.Equal((2, 5L), (context.Observations, context.LastSeq));
        Assert.Equal(ApprovalStatus.Revoked, (await runtime.Model().GetModel()).Status);
        Assert.Single(await runtime.EvidenceAsync(), e => e.GetProperty("event").GetString() == LedgerEvents.ApprovalRevoked);
    }

    [Fact]
    public async Task A_client_cannot_record_drift_results_itself()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        await runtime.TrainAndSubmitAsync();

        var refusal = await Assert.ThrowsAsync<GovernanceException>(() => runtime.Model().RecordDrift([Record(Severe())]));

        Assert.Equal(ErrorCodes.Forbidden, refusal.Code);
        Assert.Equal(ApprovalStatus.Pending, (await runtime.Model().GetModel()).Status);
    }

    [Fact]
    public async Task A_drift_stream_whose_model_fails_a_write_mid_stream_still_applies_every_observation_once()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        await runtime.TrainAndSubmitAsync();
        var monitor = runtime.Grains.GetGrain<IDriftMonitorGrain>(ModelId);
        var baseline = new Dictionary<string, double> { ["loss"] = 0.20, ["accuracy"] = 0.90 };
        await AppendObservationAsync(runtime, "obs-quiet", baseline, new() { ["loss"] = 0.20, ["accuracy"] = 0.90 });
        await WaitUntilAsync(async () => (await monitor.GetProgress()).Observations == 1, () => "obs-quiet to be applied");

        runtime.FailNextWrites(1);
        await AppendObservationAsync(runtime, "obs-severe", baseline, new() { ["loss"] = 0.40, ["accuracy"] = 0.18 });

        var model = await runtime.Model().GetModel();
        await WaitUntilAsync(
            async () => (model = await runtime.Model().GetModel()).Status == ApprovalStatus.Revoked,
            () => $"obs-severe to revoke the approval (status {model.Status})");
        Assert.Equal(2, (await monitor.GetProgress()).Observations);
        Assert.Equal("obs-severe", model.LatestDrift!.EventId);
        Assert.Contains("\"drift_observations\":2", await runtime.StoredStateJsonAsync("model", ModelId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Observations_on_the_drift_stream_reach_the_model_in_order()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        await runtime.TrainAndSubmitAsync();
        var baseline = new Dictionary<string, double> { ["loss"] = 0.20, ["accuracy"] = 0.90 };

        await AppendObservationAsync(runtime, "obs-quiet", baseline, new() { ["loss"] = 0.20, ["accuracy"] = 0.90 });
        await AppendObservationAsync(runtime, "obs-severe", baseline, new() { ["loss"] = 0.40, ["accuracy"] = 0.18 });

        var monitor = runtime.Grains.GetGrain<IDriftMonitorGrain>(ModelId);
        DriftProgress? progress = null;
        await WaitUntilAsync(
            async () => (progress = await monitor.GetProgress()).Observations == 2,
            () => $"drift-monitor/{ModelId} to have applied both observations (obs-quiet, obs-severe); last progress {progress}");
        var model = await runtime.Model().GetModel();
        Assert.Equal(ApprovalStatus.Revoked, model.Status);
        Assert.Equal(SystemActors.DriftDetector, model.Approval!.Revocation!.RevokedBy);
        Assert.Equal("obs-severe", model.LatestDrift!.EventId);
    }

    [Fact]
    public async Task A_poison_observation_is_set_aside_after_its_attempts_and_the_next_one_is_applied()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync(new Dictionary<string, string?> { ["Governance:Streams:MaxDeliveryAttempts"] = "2" });
        await runtime.TrainAndSubmitAsync();
        var baseline = new Dictionary<string, double> { ["loss"] = 0.20, ["accuracy"] = 0.90 };

        // Refused by the model for good (no training there): it can never be applied.
        await AppendObservationAsync(runtime, "obs-poison", baseline, new() { ["loss"] = 0.20, ["accuracy"] = 0.90 }, modelId: "untrained");
        await AppendObservationAsync(runtime, "obs-severe", baseline, new() { ["loss"] = 0.40, ["accuracy"] = 0.18 });

        await WaitUntilAsync(async () => (await runtime.Model().GetModel()).Status == ApprovalStatus.Revoked, () => "obs-severe to revoke");
        DriftDeadLetterPage? page = null;
        await WaitUntilAsync(async () => (page = await runtime.Listings().ListDriftDeadLetters("untrained", 0, 10)).Entries.Count == 1, () => "obs-poison to be set aside");
        var letter = page!.Entries[0];
        Assert.Equal(("untrained", 2), (letter.ModelId, letter.Attempts));
        Assert.Equal("obs-poison", letter.Payload.GetProperty("event_id").GetString());
    }

    private static IModelRelayGrain Relay(GovernanceTestRuntime runtime) => runtime.Grains.GetGrain<IModelRelayGrain>(ModelId);

    private static async Task<long> StoredETagAsync(GovernanceTestRuntime runtime) =>
        long.Parse((await runtime.Model().GetModel()).Etag, CultureInfo.InvariantCulture);

    private static async Task AppendObservationAsync(
        GovernanceTestRuntime runtime, string eventId, Dictionary<string, double> training, Dictionary<string, double> serving, string modelId = ModelId)
    {
        var observation = new DriftObservation(1, eventId, modelId, "monitor", ObservedAt, serving, training, null);
        await runtime.DriftStream(modelId).OnNextAsync(observation);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> expected)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out after {Patience} waiting for {expected()}.");
            await Task.Delay(20);
        }
    }

    private static ModelState Live(string status) => status switch
    {
        "pending" => Submitted(),
        "quorum_reached" => QuorumReached(),
        "deployed" => Deployed(),
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    private static DriftRecord Record(DriftResult result, long seq = 1, string eventId = "drift-1") => new(eventId, seq, ObservedAt, result);

    /// <summary>Severity 0.894736842…: consider_revoke, critical (see <see cref="DriftCalculatorTests"/>).</summary>
    private static DriftResult Severe() =>
        DriftCalculator.Compute(Metrics(0.20, 0.90), Metrics(0.40, 0.18), null, DriftThresholds.Default);

    /// <summary>The README example: severity 0.552, investigate, medium.</summary>
    private static DriftResult ReadmeExample() =>
        DriftCalculator.Compute(Metrics(0.28, 0.94), Metrics(0.45, 0.80), null, DriftThresholds.Default);

    private static DriftResult NoDrift() =>
        DriftCalculator.Compute(Metrics(0.28, 0.94), Metrics(0.28, 0.94), null, DriftThresholds.Default);

    /// <summary>Metrics unchanged; KS 0.5 and PSI 4.35 on a shifted feature.</summary>
    private static DriftResult DistributionOnly() =>
        DriftCalculator.Compute(
            Metrics(0.28, 0.94), Metrics(0.28, 0.94),
            new DistributionSample([.. Enumerable.Range(1, 10).Select(i => (double)i)], [.. Enumerable.Range(6, 10).Select(i => (double)i)]),
            DriftThresholds.Default);

    private static DriftResult WithSeverity(double severity) =>
        new(true, severity, 1, DriftCalculator.ActionFor(severity), DriftCalculator.AlertSeverityFor(severity), new Dictionary<string, MetricDrift>(), null, null);

    private static Dictionary<string, double> Metrics(double loss, double accuracy) => new(StringComparer.Ordinal)
    {
        ["loss"] = loss,
        ["accuracy"] = accuracy,
    };
}
