using System.Net;
using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests;

/// <summary>Approvals expire by a durable reminder, with no request at all (DESIGN §5.5).</summary>
[Trait("Category", "Integration")]
public sealed class ExpiryTests(ReminderSilo silo) : IClassFixture<ReminderSilo>
{
    private static readonly TimeSpan ExpiryTimeout = TimeSpan.FromSeconds(10);

    private readonly Workflow _flow = new(silo);

    [Fact]
    public async Task A_reminder_expires_an_approval_with_quorum_and_records_it_without_any_request()
    {
        var approved = await _flow.ApprovedModelAsync(new { approved_environments = new[] { "production" }, required_approvers = 2, approval_ttl_seconds = 2 });

        await Eventually.UntilAsync(
            () => ExpiryRowsAsync(approved.ModelId),
            rows => rows > 0,
            ExpiryTimeout,
            $"the ledger row approval_expired of model {approved.ModelId} (status expired; expires_at {approved.ExpiresAt})");

        var model = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{approved.ModelId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("expired", model.Json.Text("status"));
        Assert.Equal("expired", model["approval"].Text("status"));
        var entries = await _flow.EvidenceAsync(approved.ModelId);
        Assert.Equal(
            ["training_completed", "policy_evaluated", "approval_submitted", "signature_added", "signature_added", "quorum_reached", "approval_expired"],
            entries.Select(e => e.Text("event")));
        var expired = entries[^1];
        Assert.Equal("system:timer", expired.Text("actor"));
        Assert.Equal(approved.ApprovalId, expired.Field("data").Text("approval_id"));
        Assert.Equal(approved.ExpiresAt, expired.Field("data").Text("expires_at"));
        EvidenceChain.AssertValid(approved.ModelId, entries);

        var verify = (await silo.As(DevTokens.Registry).GetAsync($"/v1/models/{approved.ModelId}/verify?environment=production"))
            .AssertStatus(HttpStatusCode.OK);
        Assert.False(verify["allowed"].GetBoolean());
        Assert.Equal("approval_expired", verify.Json.Text("reason"));
        var carol = await _flow.RegisterKeyAsync("carol", DevTokens.Carol);
        (await _flow.SignAsync(approved.ModelId, carol)).AssertProblem(HttpStatusCode.Conflict, "approval_not_pending");
        (await silo.As(DevTokens.Alice).PostAsync($"/v1/models/{approved.ModelId}/revocation", new { reason = "too late" }))
            .AssertProblem(HttpStatusCode.Conflict, "approval_not_active");
        Assert.Equal(1L, await ExpiryRowsAsync(approved.ModelId));
    }

    [Fact]
    public async Task A_reminder_expires_a_pending_approval_and_a_new_submission_needs_no_supersede()
    {
        var modelId = Workflow.NewModelId();
        await _flow.TrainAsync(modelId);
        var approval = await _flow.SubmitAsync(modelId, new { approved_environments = new[] { "production" }, required_approvers = 2, approval_ttl_seconds = 1 });

        await Eventually.UntilAsync(
            () => ExpiryRowsAsync(modelId),
            rows => rows > 0,
            ExpiryTimeout,
            $"the ledger row approval_expired of model {modelId} (status expired; expires_at {approval.Text("expires_at")})");

        Assert.Equal(1L, await ExpiryRowsAsync(modelId));
        await _flow.SubmitAsync(modelId, new { approved_environments = new[] { "production" }, required_approvers = 1 });
        Assert.DoesNotContain("approval_superseded", await _flow.EventsAsync(modelId));
    }

    [Fact]
    public async Task A_revoked_approval_is_not_expired_later()
    {
        var modelId = Workflow.NewModelId();
        var other = Workflow.NewModelId();
        await _flow.TrainAsync(modelId);
        await _flow.TrainAsync(other);
        // Long enough to be revoked while still live (expires_at counts from the whole second of submission).
        await _flow.SubmitAsync(modelId, new { approved_environments = new[] { "production" }, required_approvers = 1, approval_ttl_seconds = 3 });
        (await silo.As(DevTokens.Alice).PostAsync($"/v1/models/{modelId}/revocation", new { reason = "withdrawn" })).AssertStatus(HttpStatusCode.OK);
        var witness = await _flow.SubmitAsync(other, new { approved_environments = new[] { "production" }, required_approvers = 1, approval_ttl_seconds = 4 });

        await Eventually.UntilAsync(
            () => ExpiryRowsAsync(other),
            rows => rows > 0,
            ExpiryTimeout,
            $"the ledger row approval_expired of model {other} (status expired; expires_at {witness.Text("expires_at")})");

        Assert.Equal(0L, await ExpiryRowsAsync(modelId));
        Assert.Equal("approval_revoked", (await _flow.EventsAsync(modelId))[^1]);
    }

    /// <summary>Reads the ledger table directly: any API command would settle the expiry itself.</summary>
    private async Task<long> ExpiryRowsAsync(string modelId)
    {
        await using var command = silo.Database.CreateCommand(
            "SELECT count(*) FROM ledger WHERE chain_id = $1 AND (entry::jsonb ->> 'event') = 'approval_expired'");
        command.Parameters.AddWithValue(modelId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
