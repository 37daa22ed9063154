using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Governance.Grains.Ledger;
using Governance.Grains.Models;
using Governance.Grains.Wire;
using static Governance.Grains.Tests.Models.TestModels;

namespace Governance.Grains.Tests.Models;

/// <summary>The model grain through its interface, on the memory runtime with a manual clock.</summary>
[Trait("Category", "Unit")]
public class ModelGovernanceGrainTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Fifty_concurrent_signatures_for_three_required_give_three_signatures_and_one_quorum()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        await runtime.TrainAndSubmitAsync(Submission() with { RequiredApprovers = 3 });
        var approvers = Enumerable.Range(1, 50).Select(i => $"approver-{i:D2}").ToArray();
        await Task.WhenAll(approvers.Select(runtime.RegisterKeyAsync));
        var requests = new Dictionary<string, SignatureRequest>();
        foreach (var approver in approvers)
        {
            requests[approver] = await runtime.SignatureByAsync(approver);
        }

        var outcomes = await Task.WhenAll(approvers.Select(approver => Task.Run(async () =>
        {
            try
            {
                await runtime.Model().AddSignature(As(approver), requests[approver]);
                return (approver, Code: "signed");
            }
            catch (GovernanceException refusal)
            {
                return (approver, refusal.Code);
            }
        })));

        var signers = outcomes.Where(o => o.Code == "signed").Select(o => o.approver).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(3, signers.Length);
        Assert.All(outcomes.Where(o => o.Code != "signed"), o => Assert.Equal(ErrorCodes.ApprovalNotPending, o.Code));

        var approval = (await runtime.Model().GetModel()).Approval!;
        Assert.Equal(ApprovalStatus.QuorumReached, approval.Status);
        Assert.Equal(signers, approval.Signatures.Select(s => s.Principal).Order(StringComparer.Ordinal));
        Assert.Equal(3, approval.ApproverSignatures.Count);

        var entries = await runtime.EvidenceAsync();
        Assert.Equal(3, entries.Count(e => Event(e) == LedgerEvents.SignatureAdded));
        var quorum = Assert.Single(entries, e => Event(e) == LedgerEvents.QuorumReached);
        Assert.Equal(signers, quorum.GetProperty("data").GetProperty("signers").EnumerateArray().Select(s => s.GetString()));
        Assert.True((await runtime.Model().VerifyEvidence()).Valid);
    }

    [Fact]
    public async Task Concurrent_identical_signatures_are_stored_once()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        await runtime.TrainAndSubmitAsync();
        await runtime.RegisterKeyAsync(Alice);
        var request = await runtime.SignatureByAsync(Alice);

        var views = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => runtime.Model().AddSignature(As(Alice), request))));

        Assert.All(views, view => Assert.Single(view.Signatures));
        Assert.Single(await runtime.EvidenceAsync(), e => Event(e) == LedgerEvents.SignatureAdded);
    }

    [Fact]
    public async Task Concurrent_deployments_each_get_their_own_evidence_seq()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        var submitted = await runtime.TrainAndSubmitAsync();
        await runtime.SignAsync(Alice);
        await runtime.SignAsync(Bob);
        var before = (await runtime.Model().GetModel()).EvidenceSeq;

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            runtime.Model().Deploy(As(Deployer), Deployment(i % 2 == 0 ? "staging" : "production", approvalId: submitted.ApprovalId)))));

        Assert.Equal(Enumerable.Range(1, 20).Select(i => before + i), results.Select(r => r.EvidenceSeq).Order());
        // The state keeps the latest deployment per (environment, scope) (issue 9 row 6); the ledger keeps all 20.
        var stored = (await runtime.Model().GetModel()).Approval!.Deployments;
        Assert.Equal(["production", "staging"], stored.Select(d => d.Environment).Order(StringComparer.Ordinal));
        Assert.All(stored, d => Assert.Equal(results.Where(r => r.Environment == d.Environment).Max(r => r.EvidenceSeq), d.EvidenceSeq));
        Assert.True((await runtime.Model().VerifyEvidence()).Valid);
        Assert.Equal(20, (await runtime.Model().GetEvidence(before, 100)).Entries.Count(e => e.GetProperty("event").GetString() == "model_deployed"));
    }

    [Fact]
    public async Task Submitting_sets_the_expiry_reminder_and_revoking_removes_it()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        var before = DateTime.UtcNow;
        var approval = await runtime.TrainAndSubmitAsync();
        var after = DateTime.UtcNow;
        var expiresAt = DateTimeOffset.Parse(approval.ExpiresAt, CultureInfo.InvariantCulture);

        // Due at expires_at by the domain clock: that far from the real time of the submission.
        var reminder = Assert.Single(await runtime.RemindersAsync(ModelId));
        Assert.Equal(ModelStateMachine.ExpiryReminder, reminder.ReminderName);
        var dueIn = expiresAt - runtime.Clock.GetUtcNow();
        Assert.InRange(reminder.StartAt, before + dueIn - TimeSpan.FromSeconds(1), after + dueIn + TimeSpan.FromSeconds(1));

        await runtime.Model().Revoke(As(Revoker), new RevocationRequest("withdrawn"));

        Assert.Empty(await runtime.RemindersAsync(ModelId));
    }

    [Fact]
    public async Task Superseding_moves_the_expiry_reminder_to_the_new_approval()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        await runtime.TrainAndSubmitAsync();
        var first = Assert.Single(await runtime.RemindersAsync(ModelId));
        runtime.Clock.Advance(TimeSpan.FromDays(1));

        await runtime.Model().SubmitApproval(As(Submitter), Submission() with { Supersede = true });

        var moved = Assert.Single(await runtime.RemindersAsync(ModelId));
        Assert.Equal(ModelStateMachine.ExpiryReminder, moved.ReminderName);
        Assert.NotEqual(first.ETag, moved.ETag);
    }

    [Fact]
    public async Task At_expires_at_verify_denies_and_the_model_reads_expired_before_any_reminder()
    {
        // No catch-up in this test: nothing but the clock changes what the grain answers.
        await using var runtime = await GovernanceTestRuntime.StartAsync(NoCatchUp);
        var approval = await runtime.TrainAndSubmitAsync(Submission() with { ApprovalTtlDays = null, ApprovalTtlSeconds = 3600 });
        await runtime.SignAsync(Alice);
        await runtime.SignAsync(Bob);
        var expiresAt = DateTimeOffset.Parse(approval.ExpiresAt, CultureInfo.InvariantCulture);
        Assert.Equal(Rfc3339.TruncateToSeconds(T0).AddHours(1), expiresAt);

        runtime.Clock.SetUtcNow(expiresAt.AddTicks(-1));
        Assert.True((await runtime.Model().Verify(Query())).Allowed);

        runtime.Clock.SetUtcNow(expiresAt);
        var decision = await runtime.Model().Verify(Query());
        var model = await runtime.Model().GetModel();

        Assert.Equal((false, ErrorCodes.ApprovalExpired, ApprovalStatus.Expired), (decision.Allowed, decision.Reason, decision.Status));
        Assert.Equal(ApprovalStatus.Expired, model.Status);
        Assert.Equal(ApprovalStatus.Expired, model.Approval!.Status);
        Assert.DoesNotContain(await runtime.EvidenceAsync(), e => Event(e) == LedgerEvents.ApprovalExpired);
    }

    [Fact]
    public async Task The_expiry_reminder_records_approval_expired_with_no_request()
    {
        // Only the Orleans reminder can expire it here: the catch-up is off.
        await using var runtime = await GovernanceTestRuntime.StartAsync(NoCatchUp);
        var approval = await runtime.TrainAndSubmitAsync(Submission() with { ApprovalTtlDays = null, ApprovalTtlSeconds = 2 });
        var expiresAt = DateTimeOffset.Parse(approval.ExpiresAt, CultureInfo.InvariantCulture);
        runtime.Clock.SetUtcNow(expiresAt);

        await EventuallyAsync(async () => (await runtime.EvidenceAsync()).Any(e => Event(e) == LedgerEvents.ApprovalExpired));
        await EventuallyAsync(async () => (await runtime.RemindersAsync(ModelId)).Count == 0);

        await AssertExpiredByTheTimerAsync(runtime, approval);
    }

    [Fact]
    public async Task The_catch_up_expires_an_approval_whose_reminder_is_not_due_yet()
    {
        // The reminder is an hour away in real time; the domain clock says the approval is past due.
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        var approval = await runtime.TrainAndSubmitAsync(Submission() with { ApprovalTtlDays = null, ApprovalTtlSeconds = 3600 });
        var expiresAt = DateTimeOffset.Parse(approval.ExpiresAt, CultureInfo.InvariantCulture);
        runtime.Clock.SetUtcNow(expiresAt.AddSeconds(-1));
        await Task.Delay(200);
        Assert.DoesNotContain(await runtime.EvidenceAsync(), e => Event(e) == LedgerEvents.ApprovalExpired);
        Assert.Single(await runtime.RemindersAsync(ModelId));

        runtime.Clock.SetUtcNow(expiresAt);
        await EventuallyAsync(async () => (await runtime.EvidenceAsync()).Any(e => Event(e) == LedgerEvents.ApprovalExpired));
        await EventuallyAsync(async () => (await runtime.RemindersAsync(ModelId)).Count == 0);
        await Task.Delay(100);

        await AssertExpiredByTheTimerAsync(runtime, approval);
    }

    [Fact]
    public async Task A_model_the_catch_up_could_not_write_is_told_again_long_before_the_next_round()
    {
        // Rounds 10 s apart (the first 10 s after start); a round where a model failed is followed by another 200 ms later.
        await using var runtime = await GovernanceTestRuntime.StartAsync(new Dictionary<string, string?>
        {
            ["Governance:Expiry:Interval"] = "00:00:10",
            ["Governance:Expiry:RetryInterval"] = "00:00:00.200",
        });
        var models = Enumerable.Range(1, 4).Select(i => $"catch-up-{i}").ToList();
        var expiresAt = DateTimeOffset.MinValue;
        foreach (var modelId in models)
        {
            var approval = await runtime.TrainAndSubmitAsync(Submission() with { ApprovalTtlDays = null, ApprovalTtlSeconds = 3600 }, modelId);
            expiresAt = DateTimeOffset.Parse(approval.ExpiresAt, CultureInfo.InvariantCulture);
        }

        runtime.Clock.SetUtcNow(expiresAt);
        runtime.Faults.FailNext(1, "model");
        async Task<int> ExpiredAsync()
        {
            var expired = 0;
            foreach (var modelId in models)
            {
                expired += (await runtime.EvidenceAsync(modelId)).Count(e => Event(e) == LedgerEvents.ApprovalExpired);
            }

            return expired;
        }

        var watch = Stopwatch.StartNew();
        while (await ExpiredAsync() == 0)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "The first catch-up round did not come.");
            await Task.Delay(20);
        }

        // The round that failed one model told the others; the next, long before the interval, the one that failed.
        var firstRound = watch.Elapsed;
        while (await ExpiredAsync() < models.Count)
        {
            Assert.True(watch.Elapsed - firstRound < TimeSpan.FromSeconds(5), "The model that failed waited for the next regular round.");
            await Task.Delay(20);
        }

        Assert.Equal(models.Count, await ExpiredAsync());
        Assert.Equal(0, runtime.Faults.FailuresLeft);
    }

    [Fact]
    public async Task An_expiry_tick_before_expires_at_changes_nothing_and_the_approval_still_expires_later()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync(NoCatchUp);
        var approval = await runtime.TrainAndSubmitAsync(Submission() with { ApprovalTtlDays = null, ApprovalTtlSeconds = 3600 });
        var expiresAt = DateTimeOffset.Parse(approval.ExpiresAt, CultureInfo.InvariantCulture);
        runtime.Clock.SetUtcNow(expiresAt.AddSeconds(-2));
        var etag = (await runtime.Model().GetModel()).Etag;

        // As a reminder delivered early by a skewed clock: from inside the cluster, before the expiry.
        await runtime.Grains.GetGrain<IModelRelayGrain>(ModelId).ExpireIfDue();

        Assert.Equal(etag, (await runtime.Model().GetModel()).Etag);
        Assert.DoesNotContain(await runtime.EvidenceAsync(), e => Event(e) == LedgerEvents.ApprovalExpired);
        Assert.Single(await runtime.RemindersAsync(ModelId));

        runtime.Clock.SetUtcNow(expiresAt);
        await runtime.Grains.GetGrain<IModelRelayGrain>(ModelId).ExpireIfDue();
        await runtime.Grains.GetGrain<IModelRelayGrain>(ModelId).ExpireIfDue();
        Assert.Single(await runtime.EvidenceAsync(), e => Event(e) == LedgerEvents.ApprovalExpired);
    }

    [Fact]
    public async Task A_client_cannot_call_the_cluster_only_expiry()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        await runtime.TrainAndSubmitAsync();

        var refusal = await Assert.ThrowsAsync<GovernanceException>(() => runtime.Model().ExpireIfDue());

        Assert.Equal(ErrorCodes.Forbidden, refusal.Code);
    }

    [Fact]
    public async Task A_command_after_expiry_first_writes_approval_expired_by_the_timer()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        var approval = await runtime.TrainAndSubmitAsync(Submission() with { ApprovalTtlDays = null, ApprovalTtlSeconds = 60 });
        runtime.Clock.Advance(TimeSpan.FromMinutes(5));

        await runtime.Model().RecordTraining(As(Trainer), Training(OtherWeightsHash));

        var entries = await runtime.EvidenceAsync();
        Assert.Equal([LedgerEvents.ApprovalExpired, LedgerEvents.TrainingCompleted], entries.TakeLast(2).Select(Event));
        Assert.Equal(SystemActors.Timer, entries[^2].GetProperty("actor").GetString());
        Assert.Equal(approval.ApprovalId, entries[^2].GetProperty("data").GetProperty("approval_id").GetString());
        Assert.Empty(await runtime.RemindersAsync(ModelId));
        Assert.Equal(ApprovalStatus.Expired, (await runtime.Model().GetModel()).Approval!.Status);
    }

    [Fact]
    public async Task Verify_has_no_side_effects()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync(NoCatchUp);
        await runtime.TrainAndSubmitAsync();
        await runtime.SignAsync(Alice);
        await runtime.SignAsync(Bob);
        var before = await runtime.Model().GetModel();

        runtime.Clock.Advance(TimeSpan.FromDays(31));
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(ErrorCodes.ApprovalExpired, (await runtime.Model().Verify(Query())).Reason);
        }

        var after = await runtime.Model().GetModel();
        Assert.Equal((before.Etag, before.EvidenceSeq, before.EvidenceHead), (after.Etag, after.EvidenceSeq, after.EvidenceHead));
        var storedAsQuorumReached = await runtime.Listings().ListModels(ApprovalStatus.QuorumReached, null, null, 10);
        Assert.Equal(ModelId, Assert.Single(storedAsQuorumReached.Models).ModelId);
    }

    [Fact]
    public async Task Unknown_model_is_not_found_and_submit_without_training_is_training_missing()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        var model = runtime.Model("never-trained");

        Assert.Equal(ErrorCodes.NotFound, (await model.Verify(Query())).Reason);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<GovernanceException>(model.GetModel)).Code);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<GovernanceException>(() => model.AddSignature(As(Alice), new SignatureRequest("a", KeyId, Convert.ToBase64String(new byte[64]))))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<GovernanceException>(() => model.Deploy(As(Deployer), Deployment()))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<GovernanceException>(() => model.Revoke(As(Revoker), new RevocationRequest("x")))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<GovernanceException>(model.VerifyEvidence)).Code);
        Assert.Equal(ErrorCodes.TrainingMissing, (await Assert.ThrowsAsync<GovernanceException>(() => model.SubmitApproval(As(Submitter), Submission()))).Code);
    }

    [Fact]
    public async Task A_policy_refusal_is_raised_after_its_evidence_is_written()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        await runtime.Model().RecordTraining(As(Trainer), Training() with { Metrics = new() { ["accuracy"] = 0.5 } });

        var refusal = await Assert.ThrowsAsync<GovernanceException>(() =>
            runtime.Model().SubmitApproval(As(Submitter), Submission() with { Profile = "strict" }));

        Assert.Equal(ErrorCodes.PolicyViolation, refusal.Code);
        var entries = await runtime.EvidenceAsync();
        Assert.Equal([LedgerEvents.TrainingCompleted, LedgerEvents.PolicyEvaluated], entries.Select(Event));
        Assert.False(entries[1].GetProperty("data").GetProperty("passed").GetBoolean());
        var model = await runtime.Model().GetModel();
        Assert.Null(model.Approval);
        Assert.Equal(2, model.EvidenceSeq);
        Assert.Empty(await runtime.RemindersAsync(ModelId));
        Assert.True((await runtime.Model().VerifyEvidence()).Valid);
    }

    [Fact]
    public async Task Key_checks_use_the_approver_keys_grain()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        await runtime.TrainAndSubmitAsync(Submission() with { RequiredApprovers = 3 });
        await runtime.SignAsync(Alice);
        await runtime.Grains.GetGrain<IApproverKeysGrain>(Alice).RevokeKey(As(Alice), KeyId);
        await runtime.RegisterKeyAsync(Bob);
        await runtime.Grains.GetGrain<IApproverKeysGrain>(Bob).RevokeKey(As(Bob), KeyId);

        var unknown = await Assert.ThrowsAsync<GovernanceException>(async () =>
            await runtime.Model().AddSignature(As(Carol), await runtime.SignatureByAsync(Carol)));
        var revoked = await Assert.ThrowsAsync<GovernanceException>(async () =>
            await runtime.Model().AddSignature(As(Bob), await runtime.SignatureByAsync(Bob)));

        Assert.Equal(ErrorCodes.KeyUnknown, unknown.Code);
        Assert.Equal(ErrorCodes.KeyRevoked, revoked.Code);
        Assert.Equal(Alice, Assert.Single((await runtime.Model().GetModel()).Approval!.Signatures).Principal);
    }

    [Fact]
    public async Task The_approval_document_view_carries_the_signing_input()
    {
        await using var runtime = await GovernanceTestRuntime.StartAsync();
        var approval = await runtime.TrainAndSubmitAsync();

        var view = await runtime.Model().GetApprovalDocument();

        Assert.Equal(approval.ApprovalId, view.ApprovalId);
        Assert.Equal("model-governance/approval/v1\n" + view.Document, Encoding.UTF8.GetString(Convert.FromBase64String(view.SigningInput)));
        using var document = JsonDocument.Parse(view.Document);
        Assert.Equal(approval.SubmittedAt, document.RootElement.GetProperty("submitted_at").GetString());
        Assert.Equal(approval.ExpiresAt, document.RootElement.GetProperty("expires_at").GetString());
    }

    private static string? Event(JsonElement entry) => entry.GetProperty("event").GetString();

    private static readonly Dictionary<string, string?> NoCatchUp = new() { ["Governance:Expiry:Interval"] = "01:00:00" };

    private static async Task AssertExpiredByTheTimerAsync(GovernanceTestRuntime runtime, ApprovalView approval)
    {
        var expired = Assert.Single(await runtime.EvidenceAsync(), e => Event(e) == LedgerEvents.ApprovalExpired);
        Assert.Equal(SystemActors.Timer, expired.GetProperty("actor").GetString());
        Assert.Equal(approval.ApprovalId, expired.GetProperty("data").GetProperty("approval_id").GetString());
        Assert.Equal(approval.ExpiresAt, expired.GetProperty("data").GetProperty("expires_at").GetString());
        Assert.Equal(ApprovalStatus.Expired, (await runtime.Model().GetModel()).Status);
        Assert.True((await runtime.Model().VerifyEvidence()).Valid);
        var listed = await runtime.Listings().ListModels(ApprovalStatus.Expired, null, null, 10);
        Assert.Equal(ModelId, Assert.Single(listed.Models).ModelId);
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < Patience, "The condition did not hold in time.");
            await Task.Delay(10);
        }
    }
}
