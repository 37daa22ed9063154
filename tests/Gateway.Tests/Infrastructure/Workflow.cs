using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace Governance.Gateway.Tests.Infrastructure;

/// <summary>The steps most tests share — train, submit, register keys, sign — each asserting its success.</summary>
public sealed class Workflow(IApiTarget silo)
{
    public static string NewModelId() => $"m-{Guid.NewGuid():N}";

    public static string NewWeightsHash() => "sha256:" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>Records a training output and returns its weights hash.</summary>
    public async Task<string> TrainAsync(string modelId, string token = DevTokens.Trainer, string? weightsHash = null, object? metrics = null)
    {
        weightsHash ??= NewWeightsHash();
        var response = await silo.As(token).PostAsync($"/v1/models/{modelId}/training", new
        {
            weights_hash = weightsHash,
            metrics = metrics ?? new { accuracy = 0.93, loss = 0.21 },
            card = new { name = modelId, owner = "ml-platform" },
            correlation_id = $"run-{modelId}",
        });
        response.AssertStatus(HttpStatusCode.Created);
        return weightsHash;
    }

    /// <summary>Submits an approval and returns it (status <c>pending</c>).</summary>
    public async Task<JsonElement> SubmitAsync(string modelId, object request, string token = DevTokens.Alice)
    {
        var response = await silo.As(token).PostAsync($"/v1/models/{modelId}/approval", request);
        response.AssertStatus(HttpStatusCode.Created);
        Assert.Equal("pending", response.Json.Text("status"));
        return response.Json;
    }

    /// <summary>The approval id and the exact bytes approvers sign.</summary>
    public async Task<(string ApprovalId, byte[] SigningInput)> DocumentAsync(string modelId)
    {
        var response = (await silo.As(DevTokens.Registry).GetAsync($"/v1/models/{modelId}/approval/document")).AssertStatus(HttpStatusCode.OK);
        return (response.Json.Text("approval_id")!, Convert.FromBase64String(response.Json.Text("signing_input")!));
    }

    /// <summary>Generates a key pair for <paramref name="principal"/> and registers its public key as admin.</summary>
    public async Task<ApproverKey> RegisterKeyAsync(string principal, string token)
    {
        var key = ApproverKey.Create(principal, token);
        (await silo.As(DevTokens.Admin).PutAsync($"/v1/approvers/{principal}/keys/{key.KeyId}", new { public_key = key.PublicKeyBase64 }))
            .AssertStatus(HttpStatusCode.Created);
        return key;
    }

    /// <summary>Signs the model's current approval document with <paramref name="key"/>; returns the raw answer.</summary>
    public async Task<ApiResponse> SignAsync(string modelId, ApproverKey key)
    {
        var (approvalId, signingInput) = await DocumentAsync(modelId);
        return await silo.As(key.Token).PostAsync($"/v1/models/{modelId}/approval/signatures", new
        {
            approval_id = approvalId,
            key_id = key.KeyId,
            signature = key.SignBase64(signingInput),
        });
    }

    /// <summary>
    /// Trains a new model as trainer-1 (with <paramref name="trainingMetrics"/> when given), submits it
    /// as alice (required_approvers 2 unless the request says otherwise) and has alice and bob sign it,
    /// so it reaches its quorum.
    /// </summary>
    public async Task<ApprovedModel> ApprovedModelAsync(object? submit = null, string? modelId = null, object? trainingMetrics = null)
    {
        modelId ??= NewModelId();
        var alice = await RegisterKeyAsync("alice", DevTokens.Alice);
        var bob = await RegisterKeyAsync("bob", DevTokens.Bob);
        var weightsHash = await TrainAsync(modelId, metrics: trainingMetrics);
        var approval = await SubmitAsync(modelId, submit ?? new { approved_environments = new[] { "staging", "production" }, required_approvers = 2 });
        (await SignAsync(modelId, alice)).AssertStatus(HttpStatusCode.OK);
        var quorum = (await SignAsync(modelId, bob)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("quorum_reached", quorum.Json.Text("status"));
        return new ApprovedModel(modelId, approval.Text("approval_id")!, weightsHash, approval.Text("expires_at")!);
    }

    /// <summary>Every entry of a chain, oldest first, following page tokens (as auditor).</summary>
    public async Task<IReadOnlyList<JsonElement>> EvidenceAsync(string chainId, int pageSize = 1000)
    {
        var entries = new List<JsonElement>();
        string? pageToken = null;
        do
        {
            var query = pageToken is null ? $"?limit={pageSize}" : $"?limit={pageSize}&page_token={pageToken}";
            var page = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{chainId}/evidence{query}")).AssertStatus(HttpStatusCode.OK);
            entries.AddRange(page["entries"].EnumerateArray());
            pageToken = page.Json.Text("next_page_token");
        }
        while (pageToken is not null);

        return entries;
    }

    /// <summary>The event names of a chain, oldest first.</summary>
    public async Task<string[]> EventsAsync(string chainId) =>
        [.. (await EvidenceAsync(chainId)).Select(e => e.Text("event")!)];
}
