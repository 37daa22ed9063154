using System.Net;
using Governance.Cluster.Tests.Infrastructure;

namespace Governance.Cluster.Tests.Cluster;

/// <summary>
/// Orleans keeps one activation per grain only eventually while the membership changes (DESIGN §4
/// "Cluster"); what stops a duplicate activation from losing an update is the ETag check of the
/// grain storage. Two clusters on one database are the extreme case — each holds its own activation
/// of every model — so a write through the stale one must be refused, and that activation dropped.
/// </summary>
[Trait("Category", "Integration"), Collection(SiloClusterCollection.Name)]
public sealed class DuplicateActivationTests
{
    [Fact]
    public async Task A_stale_duplicate_activation_cannot_write_and_is_dropped()
    {
        await using var cluster = await SiloCluster.StartAsync("cluster_tests_duplicate_activation", 1);
        var first = cluster.Silos[0];
        await using var second = new SiloProcess(cluster.ConnectionString, cluster.ClusterId + "_split");
        await second.StartAsync();
        var modelId = Workflow.NewModelId();
        await new Workflow(first).TrainAsync(modelId);

        // The second cluster's activation holds the model as it is now; then the first one writes.
        Assert.Equal("trained", (await second.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}")).AssertStatus(HttpStatusCode.OK).Json.Text("status"));
        var approval = await new Workflow(first).SubmitAsync(modelId, new { approved_environments = new[] { "production" }, required_approvers = 1 });

        // The duplicate's write (a new training, valid on the state it holds) is refused on the ETag: nothing of it is committed.
        (await second.As(DevTokens.Trainer).PostAsync($"/v1/models/{modelId}/training", Requests.Training()))
            .AssertProblem(HttpStatusCode.Conflict, "conflict");

        // It was dropped: the next call activates from the stored state, sees the approval and can revoke it.
        var model = (await second.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("pending", model.Json.Text("status"));
        Assert.Equal(approval.Text("approval_id"), model["approval"].Text("approval_id"));
        (await second.As(DevTokens.Bob).PostAsync($"/v1/models/{modelId}/revocation", new { reason = "withdrawn" })).AssertStatus(HttpStatusCode.OK);

        Assert.Equal(["training_completed", "policy_evaluated", "approval_submitted", "approval_revoked"], await new Workflow(first).EventsAsync(modelId));
        // Through the activation that wrote last; the first cluster's is now the stale one.
        var chain = (await second.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}/evidence/verify")).AssertStatus(HttpStatusCode.OK);
        Assert.True(chain["valid"].GetBoolean(), chain.Body);
    }
}
