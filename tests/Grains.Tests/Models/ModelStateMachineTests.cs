using Governance.Grains.Ledger;
using Governance.Grains.Models;
using Governance.Grains.Wire;
using static Governance.Grains.Tests.Models.TestModels;

namespace Governance.Grains.Tests.Models;

[Trait("Category", "Unit")]
public class ModelStateMachineTests
{
    public enum Fixture
    {
        NoModel,
        Trained,
        Pending,
        QuorumReached,
        Deployed,
        Revoked,
        Expired,
        LivePastExpiry,
    }

    public enum Command
    {
        RecordTraining,
        Submit,
        SubmitSupersede,
        AddSignature,
        RepeatSignature,
        Deploy,
        Revoke,
        ExpireReminder,
        Verify,
    }

    private const string NoStatus = "(no model)";
    private const string Allowed = "allowed";

    /// <summary>
    /// Every command in every status (DESIGN §5.1, §5.4, §5.7). A successful command is shown by the
    /// stored status it leaves; a refusal by its code; verify by its decision.
    /// </summary>
    public static TheoryData<Fixture, Command, string> Table => new()
    {
        { Fixture.NoModel, Command.RecordTraining, Becomes(ApprovalStatus.Trained) },
        { Fixture.NoModel, Command.Submit, Refused(ErrorCodes.TrainingMissing) },
        { Fixture.NoModel, Command.SubmitSupersede, Refused(ErrorCodes.TrainingMissing) },
        { Fixture.NoModel, Command.AddSignature, Refused(ErrorCodes.ApprovalNotFound) },
        { Fixture.NoModel, Command.RepeatSignature, Refused(ErrorCodes.ApprovalNotFound) },
        { Fixture.NoModel, Command.Deploy, Refused(ErrorCodes.ApprovalNotFound) },
        { Fixture.NoModel, Command.Revoke, Refused(ErrorCodes.ApprovalNotActive) },
        { Fixture.NoModel, Command.ExpireReminder, Becomes(NoStatus) },
        { Fixture.NoModel, Command.Verify, Denied(ErrorCodes.NotFound) },

        { Fixture.Trained, Command.RecordTraining, Becomes(ApprovalStatus.Trained) },
        { Fixture.Trained, Command.Submit, Becomes(ApprovalStatus.Pending) },
        { Fixture.Trained, Command.SubmitSupersede, Becomes(ApprovalStatus.Pending) },
        { Fixture.Trained, Command.AddSignature, Refused(ErrorCodes.ApprovalNotFound) },
        { Fixture.Trained, Command.RepeatSignature, Refused(ErrorCodes.ApprovalNotFound) },
        { Fixture.Trained, Command.Deploy, Refused(ErrorCodes.ApprovalNotFound) },
        { Fixture.Trained, Command.Revoke, Refused(ErrorCodes.ApprovalNotActive) },
        { Fixture.Trained, Command.ExpireReminder, Becomes(ApprovalStatus.Trained) },
        { Fixture.Trained, Command.Verify, Denied(ErrorCodes.ApprovalNotFound) },

        { Fixture.Pending, Command.RecordTraining, Becomes(ApprovalStatus.Pending) },
        { Fixture.Pending, Command.Submit, Refused(ErrorCodes.ApprovalActive) },
        { Fixture.Pending, Command.SubmitSupersede, Becomes(ApprovalStatus.Pending) },
        { Fixture.Pending, Command.AddSignature, Becomes(ApprovalStatus.QuorumReached) },
        { Fixture.Pending, Command.RepeatSignature, Becomes(ApprovalStatus.Pending) },
        { Fixture.Pending, Command.Deploy, Refused(ErrorCodes.QuorumNotMet) },
        { Fixture.Pending, Command.Revoke, Becomes(ApprovalStatus.Revoked) },
        { Fixture.Pending, Command.ExpireReminder, Becomes(ApprovalStatus.Pending) },
        { Fixture.Pending, Command.Verify, Denied(ErrorCodes.QuorumNotMet) },

        { Fixture.QuorumReached, Command.RecordTraining, Becomes(ApprovalStatus.QuorumReached) },
        { Fixture.QuorumReached, Command.Submit, Refused(ErrorCodes.ApprovalActive) },
        { Fixture.QuorumReached, Command.SubmitSupersede, Becomes(ApprovalStatus.Pending) },
        { Fixture.QuorumReached, Command.AddSignature, Refused(ErrorCodes.ApprovalNotPending) },
        { Fixture.QuorumReached, Command.RepeatSignature, Becomes(ApprovalStatus.QuorumReached) },
        { Fixture.QuorumReached, Command.Deploy, Becomes(ApprovalStatus.Deployed) },
        { Fixture.QuorumReached, Command.Revoke, Becomes(ApprovalStatus.Revoked) },
        { Fixture.QuorumReached, Command.ExpireReminder, Becomes(ApprovalStatus.QuorumReached) },
        { Fixture.QuorumReached, Command.Verify, Allowed },

        { Fixture.Deployed, Command.RecordTraining, Becomes(ApprovalStatus.Deployed) },
        { Fixture.Deployed, Command.Submit, Refused(ErrorCodes.ApprovalActive) },
        { Fixture.Deployed, Command.SubmitSupersede, Becomes(ApprovalStatus.Pending) },
        { Fixture.Deployed, Command.AddSignature, Refused(ErrorCodes.ApprovalNotPending) },
        { Fixture.Deployed, Command.RepeatSignature, Becomes(ApprovalStatus.Deployed) },
        { Fixture.Deployed, Command.Deploy, Becomes(ApprovalStatus.Deployed) },
        { Fixture.Deployed, Command.Revoke, Becomes(ApprovalStatus.Revoked) },
        { Fixture.Deployed, Command.ExpireReminder, Becomes(ApprovalStatus.Deployed) },
        { Fixture.Deployed, Command.Verify, Allowed },

        { Fixture.Revoked, Command.RecordTraining, Becomes(ApprovalStatus.Revoked) },
        { Fixture.Revoked, Command.Submit, Becomes(ApprovalStatus.Pending) },
        { Fixture.Revoked, Command.SubmitSupersede, Becomes(ApprovalStatus.Pending) },
        { Fixture.Revoked, Command.AddSignature, Refused(ErrorCodes.ApprovalNotPending) },
        { Fixture.Revoked, Command.RepeatSignature, Becomes(ApprovalStatus.Revoked) },
        { Fixture.Revoked, Command.Deploy, Refused(ErrorCodes.ApprovalRevoked) },
        { Fixture.Revoked, Command.Revoke, Refused(ErrorCodes.ApprovalNotActive) },
        { Fixture.Revoked, Command.ExpireReminder, Becomes(ApprovalStatus.Revoked) },
        { Fixture.Revoked, Command.Verify, Denied(ErrorCodes.ApprovalRevoked) },

        { Fixture.Expired, Command.RecordTraining, Becomes(ApprovalStatus.Expired) },
        { Fixture.Expired, Command.Submit, Becomes(ApprovalStatus.Pending) },
        { Fixture.Expired, Command.SubmitSupersede, Becomes(ApprovalStatus.Pending) },
        { Fixture.Expired, Command.AddSignature, Refused(ErrorCodes.ApprovalNotPending) },
        { Fixture.Expired, Command.RepeatSignature, Becomes(ApprovalStatus.Expired) },
        { Fixture.Expired, Command.Deploy, Refused(ErrorCodes.ApprovalExpired) },
        { Fixture.Expired, Command.Revoke, Refused(ErrorCodes.ApprovalNotActive) },
        { Fixture.Expired, Command.ExpireReminder, Becomes(ApprovalStatus.Expired) },
        { Fixture.Expired, Command.Verify, Denied(ErrorCodes.ApprovalExpired) },

        // Stored deployed, but the clock is at expires_at: every command sees an expired approval.
        { Fixture.LivePastExpiry, Command.RecordTraining, Becomes(ApprovalStatus.Expired) },
        { Fixture.LivePastExpiry, Command.Submit, Becomes(ApprovalStatus.Pending) },
        { Fixture.LivePastExpiry, Command.SubmitSupersede, Becomes(ApprovalStatus.Pending) },
        { Fixture.LivePastExpiry, Command.AddSignature, Refused(ErrorCodes.ApprovalNotPending) },
        { Fixture.LivePastExpiry, Command.RepeatSignature, Becomes(ApprovalStatus.Expired) },
        { Fixture.LivePastExpiry, Command.Deploy, Refused(ErrorCodes.ApprovalExpired) },
        { Fixture.LivePastExpiry, Command.Revoke, Refused(ErrorCodes.ApprovalNotActive) },
        { Fixture.LivePastExpiry, Command.ExpireReminder, Becomes(ApprovalStatus.Expired) },
        { Fixture.LivePastExpiry, Command.Verify, Denied(ErrorCodes.ApprovalExpired) },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Every_command_in_every_status(Fixture fixture, Command command, string expected)
    {
        var (state, now) = Arrange(fixture);

        var (actual, transition) = Execute(state, command, now);

        Assert.Equal(expected, actual);
        if (transition is null)
        {
            return;
        }

        var expiries = transition.Events.Where(e => e.Name == LedgerEvents.ApprovalExpired).ToList();
        if (fixture == Fixture.LivePastExpiry)
        {
            // Any command on an approval past expires_at first records the expiry, in the same transition.
            var first = transition.Events[0];
            EvidenceAssert.Event(first, LedgerEvents.ApprovalExpired, SystemActors.Timer, "approval_id", "expires_at");
            Assert.Equal(FirstApprovalId, EvidenceAssert.Text(first, "approval_id"));
            Assert.Equal(Rfc3339.Seconds(ExpiresAt), EvidenceAssert.Text(first, "expires_at"));
            Assert.Single(expiries);
        }
        else
        {
            Assert.Empty(expiries);
        }
    }

    public static TheoryData<Fixture> FixturesWithAliceSignature =>
        [Fixture.Pending, Fixture.QuorumReached, Fixture.Deployed, Fixture.Revoked, Fixture.Expired];

    [Theory]
    [MemberData(nameof(FixturesWithAliceSignature))]
    public void An_identical_repeat_of_a_stored_signature_is_a_no_op_without_events(Fixture fixture)
    {
        var (state, now) = Arrange(fixture);
        var stored = state.Approval!.Signatures.Single(s => s.Principal == Alice);

        var transition = ModelStateMachine.AddSignature(
            state, As(Alice), new SignatureRequest(state.Approval.ApprovalId, stored.KeyId, stored.Signature), Key(Alice), now);

        Assert.Same(state, transition.State);
        Assert.Empty(transition.Events);
        Assert.Empty(transition.Reminders);
        Assert.Null(transition.RefusalAfterWrite);
    }

    [Fact]
    public void A_different_signature_from_a_principal_who_already_signed_is_a_conflict()
    {
        var state = Pending();
        var secondKey = Key(Alice, "k2");

        var refusal = Assert.Throws<GovernanceException>(() =>
            ModelStateMachine.AddSignature(state, As(Alice), SignatureBy(state, Alice, "k2"), secondKey, Now));

        Assert.Equal(ErrorCodes.Conflict, refusal.Code);
    }

    public static TheoryData<string, string> SignatureRefusals => new()
    {
        { "trainer signs", ErrorCodes.SeparationOfDuties },
        { "key not registered", ErrorCodes.KeyUnknown },
        { "key revoked", ErrorCodes.KeyRevoked },
        { "signed by another key", ErrorCodes.SignatureInvalid },
        { "other approval id", ErrorCodes.ApprovalMismatch },
        { "not base64 of 64 bytes", ErrorCodes.InvalidRequest },
    };

    [Theory]
    [MemberData(nameof(SignatureRefusals))]
    public void Signature_refusals(string situation, string expectedCode)
    {
        var state = Pending();
        var (caller, request, key) = situation switch
        {
            "trainer signs" => (Trainer, SignatureBy(state, Trainer), Key(Trainer)),
            "key not registered" => (Carol, SignatureBy(state, Carol), null),
            "key revoked" => (Carol, SignatureBy(state, Carol), Key(Carol, revoked: true)),
            "signed by another key" => (Carol, SignatureBy(state, Bob), Key(Carol)),
            "other approval id" => (Carol, SignatureBy(state, Carol) with { ApprovalId = SecondApprovalId }, Key(Carol)),
            "not base64 of 64 bytes" => (Carol, SignatureBy(state, Carol) with { Signature = Convert.ToBase64String(new byte[63]) }, Key(Carol)),
            _ => throw new ArgumentOutOfRangeException(nameof(situation)),
        };

        var refusal = Assert.Throws<GovernanceException>(() => ModelStateMachine.AddSignature(state, As(caller), request, key, Now));

        Assert.Equal(expectedCode, refusal.Code);
    }

    [Fact]
    public void A_signature_arriving_at_expiry_on_a_pending_approval_is_not_pending()
    {
        var state = Pending();

        var refusal = Assert.Throws<GovernanceException>(() =>
            ModelStateMachine.AddSignature(state, As(Carol), SignatureBy(state, Carol), Key(Carol), ExpiresAt));

        Assert.Equal(ErrorCodes.ApprovalNotPending, refusal.Code);
    }

    [Fact]
    public void Record_training_emits_training_completed_and_leaves_a_live_approval_untouched()
    {
        var state = Deployed();

        var transition = ModelStateMachine.RecordTraining(state, As(Trainer), Training(OtherWeightsHash, "run-42"), Now);

        var evidence = Assert.Single(transition.Events);
        EvidenceAssert.Event(evidence, LedgerEvents.TrainingCompleted, Trainer, "weights_hash", "metrics", "correlation_id");
        Assert.Equal(OtherWeightsHash, EvidenceAssert.Text(evidence, "weights_hash"));
        Assert.Equal("run-42", EvidenceAssert.Text(evidence, "correlation_id"));
        Assert.Equal(0.95, EvidenceAssert.Field(evidence, "metrics")!["accuracy"]!.GetValue<double>());
        Assert.Same(state.Approval, transition.State.Approval);
        Assert.Equal(OtherWeightsHash, transition.State.Training!.WeightsHash);
        Assert.Equal(state.LedgerSeq + 1, transition.State.Training.EvidenceSeq);
        Assert.Empty(transition.Reminders);
    }

    [Fact]
    public void Submit_records_policy_evaluated_then_approval_submitted()
    {
        var transition = ModelStateMachine.Submit(
            Trained(), As(Submitter), Submission() with { ApprovedEnvironments = ["staging", "production", "staging"] },
            Policies, FirstApprovalId, SubmitTime);

        Assert.Equal([LedgerEvents.PolicyEvaluated, LedgerEvents.ApprovalSubmitted], EvidenceAssert.Names(transition.Events));
        var policy = transition.Events[0];
        EvidenceAssert.Event(policy, LedgerEvents.PolicyEvaluated, Submitter, "profile", "version", "profile_sha256", "inputs_sha256", "passed", "failures");
        Assert.Equal("default", EvidenceAssert.Text(policy, "profile"));
        Assert.True(EvidenceAssert.Field(policy, "passed")!.GetValue<bool>());
        Assert.Empty(EvidenceAssert.Field(policy, "failures")!.AsArray());

        var submitted = transition.Events[1];
        EvidenceAssert.Event(
            submitted, LedgerEvents.ApprovalSubmitted, Submitter,
            "approval_id", "weights_hash", "required_approvers", "approved_environments", "approved_scopes", "expires_at", "profile");
        Assert.Equal(FirstApprovalId, EvidenceAssert.Text(submitted, "approval_id"));
        Assert.Equal(WeightsHash, EvidenceAssert.Text(submitted, "weights_hash"));
        Assert.Equal(2, EvidenceAssert.Field(submitted, "required_approvers")!.GetValue<int>());
        Assert.Equal(["production", "staging"], EvidenceAssert.Strings(submitted, "approved_environments"));
        Assert.Null(EvidenceAssert.Field(submitted, "approved_scopes"));
        Assert.Equal("2026-02-01T03:05:05Z", EvidenceAssert.Text(submitted, "expires_at"));
        Assert.Equal("default", EvidenceAssert.Text(submitted, "profile"));

        var approval = transition.State.Approval!;
        Assert.Equal(ApprovalStatus.Pending, approval.Status);
        Assert.Equal(Trainer, approval.TrainedBy);
        Assert.Equal(Submitter, approval.SubmittedBy);
        Assert.Empty(approval.Signatures);
    }

    [Fact]
    public void Submit_truncates_submitted_at_and_sets_the_expiry_reminder_at_expires_at()
    {
        var transition = ModelStateMachine.Submit(Trained(), As(Submitter), Submission(), Policies, FirstApprovalId, SubmitTime);

        var approval = transition.State.Approval!;
        Assert.Equal(SubmittedAt, approval.SubmittedAt);
        Assert.Equal(0, approval.SubmittedAt.UtcTicks % TimeSpan.TicksPerSecond);
        Assert.Equal(approval.SubmittedAt + TimeSpan.FromDays(TtlDays), approval.ExpiresAt);
        Assert.Equal([new ReminderChange(ModelStateMachine.ExpiryReminder, approval.ExpiresAt)], transition.Reminders);
    }

    public static TheoryData<double, long> FractionalTtls => new()
    {
        { 1.5, 36 * 3600 },
        { 0.25, 6 * 3600 },
        { 1.00001, 86_400 }, // 1 day and 0.864 s: expires_at is truncated to whole seconds.
    };

    [Theory]
    [MemberData(nameof(FractionalTtls))]
    public void Fractional_approval_ttl_days(double ttlDays, long expectedSeconds)
    {
        var transition = ModelStateMachine.Submit(
            Trained(), As(Submitter), Submission() with { ApprovalTtlDays = ttlDays }, Policies, FirstApprovalId, SubmitTime);

        var approval = transition.State.Approval!;
        Assert.Equal(SubmittedAt, approval.SubmittedAt);
        Assert.Equal(SubmittedAt.AddSeconds(expectedSeconds), approval.ExpiresAt);
    }

    [Fact]
    public void Approval_ttl_seconds_sets_expires_at()
    {
        var transition = ModelStateMachine.Submit(
            Trained(), As(Submitter), Submission() with { ApprovalTtlDays = null, ApprovalTtlSeconds = 3600 }, Policies, FirstApprovalId, SubmitTime);

        Assert.Equal(SubmittedAt.AddHours(1), transition.State.Approval!.ExpiresAt);
    }

    [Fact]
    public void Without_a_ttl_the_profile_default_applies()
    {
        var transition = ModelStateMachine.Submit(
            Trained(), As(Submitter), Submission() with { ApprovalTtlDays = null }, Policies, FirstApprovalId, SubmitTime);

        Assert.Equal(SubmittedAt.AddDays(90), transition.State.Approval!.ExpiresAt);
    }

    [Fact]
    public void Both_ttl_fields_are_an_invalid_request()
    {
        var refusal = Assert.Throws<GovernanceException>(() => ModelStateMachine.Submit(
            Trained(), As(Submitter), Submission() with { ApprovalTtlDays = 1, ApprovalTtlSeconds = 3600 }, Policies, FirstApprovalId, SubmitTime));

        Assert.Equal(ErrorCodes.InvalidRequest, refusal.Code);
    }

    public static TheoryData<Fixture> LiveFixtures => [Fixture.Pending, Fixture.QuorumReached, Fixture.Deployed];

    [Theory]
    [MemberData(nameof(LiveFixtures))]
    public void Supersede_replaces_the_live_approval_with_one_approval_superseded_entry(Fixture fixture)
    {
        var (state, now) = Arrange(fixture);

        var transition = ModelStateMachine.Submit(
            state, As(Submitter), Submission() with { Supersede = true }, Policies, SecondApprovalId, now);

        Assert.Equal(
            [LedgerEvents.PolicyEvaluated, LedgerEvents.ApprovalSuperseded, LedgerEvents.ApprovalSubmitted],
            EvidenceAssert.Names(transition.Events));
        var superseded = transition.Events[1];
        EvidenceAssert.Event(superseded, LedgerEvents.ApprovalSuperseded, Submitter, "approval_id", "superseded_by");
        Assert.Equal(FirstApprovalId, EvidenceAssert.Text(superseded, "approval_id"));
        Assert.Equal(SecondApprovalId, EvidenceAssert.Text(superseded, "superseded_by"));

        var approval = transition.State.Approval!;
        Assert.Equal(SecondApprovalId, approval.ApprovalId);
        Assert.Equal(ApprovalStatus.Pending, approval.Status);
        Assert.Empty(approval.Signatures);
        Assert.Empty(approval.Deployments);
        Assert.Equal([new ReminderChange(ModelStateMachine.ExpiryReminder, approval.ExpiresAt)], transition.Reminders);
    }

    [Fact]
    public void Supersede_of_an_approval_past_expiry_records_the_expiry_not_a_supersede()
    {
        var transition = ModelStateMachine.Submit(
            Deployed(), As(Submitter), Submission() with { Supersede = true }, Policies, SecondApprovalId, ExpiresAt);

        Assert.Equal(
            [LedgerEvents.ApprovalExpired, LedgerEvents.PolicyEvaluated, LedgerEvents.ApprovalSubmitted],
            EvidenceAssert.Names(transition.Events));
        Assert.Equal(ApprovalStatus.Pending, transition.State.Approval!.Status);
    }

    [Fact]
    public void Supersede_refused_by_policy_leaves_the_live_approval_in_place()
    {
        var state = Deployed();

        var transition = ModelStateMachine.Submit(
            state, As(Submitter), Submission() with { Supersede = true, Profile = "strict", RequiredApprovers = 1 }, Policies, SecondApprovalId, Now);

        Assert.Equal(ErrorCodes.PolicyViolation, transition.RefusalAfterWrite!.Code);
        Assert.Equal([LedgerEvents.PolicyEvaluated], EvidenceAssert.Names(transition.Events));
        Assert.Same(state.Approval, transition.State.Approval);
        Assert.Empty(transition.Reminders);
    }

    [Fact]
    public void Signatures_record_signature_added_and_the_last_one_quorum_reached()
    {
        var pending = Submitted();
        var first = ModelStateMachine.AddSignature(pending, As(Bob), SignatureBy(pending, Bob), Key(Bob), Now);

        var signed = Assert.Single(first.Events);
        EvidenceAssert.Event(signed, LedgerEvents.SignatureAdded, Bob, "approval_id", "principal", "key_id");
        Assert.Equal(FirstApprovalId, EvidenceAssert.Text(signed, "approval_id"));
        Assert.Equal(Bob, EvidenceAssert.Text(signed, "principal"));
        Assert.Equal(KeyId, EvidenceAssert.Text(signed, "key_id"));
        Assert.Equal(ApprovalStatus.Pending, first.State.Approval!.Status);

        var afterFirst = Commit(first, Now);
        var second = ModelStateMachine.AddSignature(afterFirst, As(Alice), SignatureBy(afterFirst, Alice), Key(Alice), Now);

        Assert.Equal([LedgerEvents.SignatureAdded, LedgerEvents.QuorumReached], EvidenceAssert.Names(second.Events));
        var quorum = second.Events[1];
        EvidenceAssert.Event(quorum, LedgerEvents.QuorumReached, Alice, "approval_id", "signers");
        Assert.Equal([Alice, Bob], EvidenceAssert.Strings(quorum, "signers"));
        Assert.Equal(ApprovalStatus.QuorumReached, second.State.Approval!.Status);
        Assert.Equal(Now, second.State.Approval.QuorumReachedAt);
    }

    [Fact]
    public void Deploy_records_model_deployed_and_appends_the_deployment()
    {
        var state = QuorumReached();

        var transition = ModelStateMachine.Deploy(state, As(Deployer), Deployment("production"), Now);

        var evidence = Assert.Single(transition.Events);
        EvidenceAssert.Event(evidence, LedgerEvents.ModelDeployed, Deployer, "approval_id", "environment", "scope");
        Assert.Equal(FirstApprovalId, EvidenceAssert.Text(evidence, "approval_id"));
        Assert.Equal("production", EvidenceAssert.Text(evidence, "environment"));
        Assert.Null(EvidenceAssert.Field(evidence, "scope"));
        var deployment = Assert.Single(transition.State.Approval!.Deployments);
        Assert.Equal(new DeploymentRecord("production", null, Deployer, Now, state.LedgerSeq + 1), deployment);
        Assert.Equal(ApprovalStatus.Deployed, transition.State.Approval.Status);
        Assert.Empty(transition.Reminders);
    }

    [Fact]
    public void Revoke_records_approval_revoked_and_removes_the_expiry_reminder()
    {
        var transition = ModelStateMachine.Revoke(Deployed(), As(Revoker), new RevocationRequest("bias found"), Now);

        var evidence = Assert.Single(transition.Events);
        EvidenceAssert.Event(evidence, LedgerEvents.ApprovalRevoked, Revoker, "approval_id", "reason");
        Assert.Equal(FirstApprovalId, EvidenceAssert.Text(evidence, "approval_id"));
        Assert.Equal("bias found", EvidenceAssert.Text(evidence, "reason"));
        Assert.Equal(new RevocationRecord("bias found", Revoker, Now), transition.State.Approval!.Revocation);
        Assert.Equal(ApprovalStatus.Revoked, transition.State.Approval.Status);
        Assert.Equal([ReminderChange.Remove(ModelStateMachine.ExpiryReminder)], transition.Reminders);
    }

    [Fact]
    public void Expiry_reminder_at_expires_at_records_approval_expired_by_the_timer_and_removes_the_reminder()
    {
        var transition = ModelStateMachine.Expire(QuorumReached(), ExpiresAt, ExpiresAt);

        var evidence = Assert.Single(transition.Events);
        EvidenceAssert.Event(evidence, LedgerEvents.ApprovalExpired, SystemActors.Timer, "approval_id", "expires_at");
        Assert.Equal(FirstApprovalId, EvidenceAssert.Text(evidence, "approval_id"));
        Assert.Equal("2026-02-01T03:05:05Z", EvidenceAssert.Text(evidence, "expires_at"));
        Assert.Equal(ApprovalStatus.Expired, transition.State.Approval!.Status);
        Assert.Equal([ReminderChange.Remove(ModelStateMachine.ExpiryReminder)], transition.Reminders);
    }

    [Fact]
    public void Expiry_reminder_fired_early_changes_nothing_and_comes_back_at_expires_at()
    {
        var state = QuorumReached();

        var transition = ModelStateMachine.Expire(state, ExpiresAt.AddMinutes(-1), ExpiresAt.AddTicks(-1));

        Assert.Same(state, transition.State);
        Assert.Empty(transition.Events);
        Assert.Equal([new ReminderChange(ModelStateMachine.ExpiryReminder, ExpiresAt)], transition.Reminders);
    }

    [Fact]
    public void Expiry_reminder_due_at_expires_at_but_seen_early_is_rearmed_strictly_later_so_completing_it_cannot_delete_it()
    {
        var state = QuorumReached();

        var transition = ModelStateMachine.Expire(state, ExpiresAt, ExpiresAt.AddTicks(-1));

        Assert.Empty(transition.Events);
        Assert.Equal([new ReminderChange(ModelStateMachine.ExpiryReminder, ExpiresAt.AddSeconds(1))], transition.Reminders);
    }

    [Fact]
    public void Expiry_reminder_on_an_ended_approval_changes_nothing()
    {
        var state = Revoked();

        var transition = ModelStateMachine.Expire(state, ExpiresAt, ExpiresAt.AddDays(1));

        Assert.Same(state, transition.State);
        Assert.Empty(transition.Events);
        Assert.Empty(transition.Reminders);
    }

    private static string Becomes(string status) => $"becomes {status}";

    private static string Refused(string code) => $"refused {code}";

    private static string Denied(string code) => $"denied {code}";

    private static (ModelState State, DateTimeOffset Now) Arrange(Fixture fixture) => fixture switch
    {
        Fixture.NoModel => (NoModel(), Now),
        Fixture.Trained => (Trained(), Now),
        Fixture.Pending => (Pending(), Now),
        Fixture.QuorumReached => (QuorumReached(), Now),
        Fixture.Deployed => (Deployed(), Now),
        Fixture.Revoked => (Revoked(), Now),
        Fixture.Expired => (Expired(), ExpiresAt.AddHours(1)),
        Fixture.LivePastExpiry => (Deployed(), ExpiresAt),
        _ => throw new ArgumentOutOfRangeException(nameof(fixture)),
    };

    private static (string Outcome, ModelTransition? Transition) Execute(ModelState state, Command command, DateTimeOffset now)
    {
        if (command == Command.Verify)
        {
            var decision = ModelStateMachine.Verify(state, Query(), now);
            return (decision.Allowed ? Allowed : Denied(decision.Reason), null);
        }

        try
        {
            var transition = Apply(state, command, now);
            return transition.RefusalAfterWrite is { } refusal
                ? (Refused(refusal.Code), transition)
                : (Becomes(StoredStatus(transition.State)), transition);
        }
        catch (GovernanceException refusal)
        {
            return (Refused(refusal.Code), null);
        }
    }

    private static ModelTransition Apply(ModelState state, Command command, DateTimeOffset now) => command switch
    {
        Command.RecordTraining => ModelStateMachine.RecordTraining(state, As(Trainer), Training(OtherWeightsHash), now),
        Command.Submit => ModelStateMachine.Submit(state, As(Submitter), Submission(), Policies, SecondApprovalId, now),
        Command.SubmitSupersede => ModelStateMachine.Submit(
            state, As(Submitter), Submission() with { Supersede = true }, Policies, SecondApprovalId, now),
        Command.AddSignature => ModelStateMachine.AddSignature(state, As(Carol), NewSignature(state, Carol), Key(Carol), now),
        Command.RepeatSignature => ModelStateMachine.AddSignature(state, As(Alice), StoredSignature(state, Alice), Key(Alice), now),
        Command.Deploy => ModelStateMachine.Deploy(state, As(Deployer), Deployment("production"), now),
        Command.Revoke => ModelStateMachine.Revoke(state, As(Revoker), new RevocationRequest("manual review"), now),
        Command.ExpireReminder => ModelStateMachine.Expire(state, now, now),
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };

    private static SignatureRequest NewSignature(ModelState state, string principal) =>
        state.Approval is null ? UnverifiableSignature() : SignatureBy(state, principal);

    private static SignatureRequest StoredSignature(ModelState state, string principal) =>
        state.Approval?.Signatures.FirstOrDefault(s => s.Principal == principal) is { } stored
            ? new SignatureRequest(state.Approval.ApprovalId, stored.KeyId, stored.Signature)
            : UnverifiableSignature();

    private static SignatureRequest UnverifiableSignature() =>
        new(FirstApprovalId, KeyId, Convert.ToBase64String(new byte[64]));

    private static string StoredStatus(ModelState state) =>
        state.Approval?.Status ?? (state.Training is not null ? ApprovalStatus.Trained : NoStatus);
}
