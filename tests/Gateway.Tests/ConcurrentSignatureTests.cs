using System.Net;
using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests;

/// <summary>Many approvers signing at once: one turn at a time per model, exactly one quorum.</summary>
[Trait("Category", "Integration")]
public sealed class ConcurrentSignatureTests(ManyApproversSilo silo) : IClassFixture<ManyApproversSilo>
{
    private const int RequiredApprovers = 3;

    private readonly Workflow _flow = new(silo);

    [Fact]
    public async Task Sixty_concurrent_signatures_reach_exactly_one_quorum_with_exactly_the_required_signatures()
    {
        var modelId = Workflow.NewModelId();
        var keys = await Task.WhenAll(ManyApproversSilo.Approvers.Select(a => _flow.RegisterKeyAsync(a.Principal, a.Token)));
        await _flow.TrainAsync(modelId);
        await _flow.SubmitAsync(modelId, new { approved_environments = new[] { "production" }, required_approvers = RequiredApprovers });
        var (approvalId, signingInput) = await _flow.DocumentAsync(modelId);
        var requests = keys.Select(k => (Key: k, Body: new { approval_id = approvalId, key_id = k.KeyId, signature = k.SignBase64(signingInput) })).ToArray();

        var responses = await Task.WhenAll(requests.Select(r => silo.As(r.Key.Token).PostAsync($"/v1/models/{modelId}/approval/signatures", r.Body)));

        var unexpected = responses.Where(r => r.Status != HttpStatusCode.OK && !(r.Status == HttpStatusCode.Conflict && r.Json.Text("code") == "approval_not_pending")).ToArray();
        Assert.True(unexpected.Length == 0, "Answers other than 200 or 409 approval_not_pending:\n" + string.Join("\n", unexpected.Select(r => r.ToString())));
        Assert.Equal(RequiredApprovers, responses.Count(r => r.Status == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.Status == HttpStatusCode.Conflict), r => r.AssertProblem(HttpStatusCode.Conflict, "approval_not_pending"));

        var model = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}")).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("quorum_reached", model.Json.Text("status"));
        Assert.Equal(RequiredApprovers, model["approval"].Field("signatures").GetArrayLength());
        Assert.Equal(RequiredApprovers, model["approval"].Field("approver_signatures").EnumerateObject().Count());

        var events = await _flow.EventsAsync(modelId);
        Assert.Single(events, e => e == "quorum_reached");
        Assert.Equal(RequiredApprovers, events.Count(e => e == "signature_added"));
        var chain = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}/evidence/verify")).AssertStatus(HttpStatusCode.OK);
        Assert.True(chain["valid"].GetBoolean(), chain.ToString());
        EvidenceChain.AssertValid(modelId, await _flow.EvidenceAsync(modelId));
    }

    [Fact]
    public async Task Concurrent_identical_repeats_of_one_signature_store_it_once()
    {
        var modelId = Workflow.NewModelId();
        var (principal, token) = ManyApproversSilo.Approvers[0];
        var key = await _flow.RegisterKeyAsync(principal, token);
        await _flow.TrainAsync(modelId);
        await _flow.SubmitAsync(modelId, new { approved_environments = new[] { "production" }, required_approvers = RequiredApprovers });
        var (approvalId, signingInput) = await _flow.DocumentAsync(modelId);
        var body = new { approval_id = approvalId, key_id = key.KeyId, signature = key.SignBase64(signingInput) };

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => silo.As(token).PostAsync($"/v1/models/{modelId}/approval/signatures", body)));

        Assert.All(responses, r => r.AssertStatus(HttpStatusCode.OK));
        Assert.Single(await _flow.EventsAsync(modelId), e => e == "signature_added");
    }
}
