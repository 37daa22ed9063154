using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Governance.Crypto;
using Governance.Grains.Wire;

namespace Governance.Bench;

/// <summary>
/// The three-plane walkthrough of the README, through the HTTP API with the development principals:
/// trainer-1 trains, carol submits (2 approvers, production, scope eu), alice and bob sign,
/// deployer-1 deploys — so separation of duties holds at every step.
/// </summary>
public sealed class GovernanceScenario(GatewayClient gateway)
{
    public const string Environment = "production";
    public const string Scope = "eu";
    public const string RegistryToken = "dev-registry-token";

    private const string AdminToken = "dev-admin-token";
    private const string TrainerToken = "dev-trainer-token";
    private const string SubmitterToken = "dev-carol-token";
    private const string FirstApproverToken = "dev-alice-token";
    private const string SecondApproverToken = "dev-bob-token";
    private const string DeployerToken = "dev-deployer-token";
    private const string MonitorToken = "dev-monitor-token";

    private static readonly JsonElement Card = JsonDocument.Parse(
        """{"owner":"risk-team","intended_use":"card fraud scoring","limitations":"EU traffic only"}""").RootElement.Clone();

    private readonly Ed25519KeyPair _firstKey = Ed25519.GenerateKeyPair();
    private readonly Ed25519KeyPair _secondKey = Ed25519.GenerateKeyPair();

    // Key ids are unique per principal forever: a fresh id per run keeps reruns on one store valid.
    private readonly string _keySuffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    private string FirstKeyId => "alice-bench-" + _keySuffix;

    private string SecondKeyId => "bob-bench-" + _keySuffix;

    public static string WeightsHashOf(string modelId) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("weights of " + modelId)));

    public static TrainingOutputRequest Training(string modelId) => new(
        WeightsHashOf(modelId),
        new Dictionary<string, double>(StringComparer.Ordinal) { ["accuracy"] = 0.953, ["loss"] = 0.121, ["f1"] = 0.914 },
        Card,
        "run-" + modelId,
        null);

    /// <summary>Serving metrics far off the training ones (<see cref="Training"/>): severity ≥ 0.8 under the default profile.</summary>
    public static DriftObservationRequest SevereObservation() => new(
        new Dictionary<string, double>(StringComparer.Ordinal) { ["loss"] = 0.9, ["accuracy"] = 0.1 }, null, null);

    /// <summary>Serving metrics equal to the training ones: severity 0, nothing revoked.</summary>
    public static DriftObservationRequest MildObservation() => new(
        new Dictionary<string, double>(StringComparer.Ordinal) { ["loss"] = 0.121, ["accuracy"] = 0.953 }, null, null);

    public async Task RegisterApproverKeysAsync(CancellationToken cancellationToken)
    {
        await RegisterAsync("alice", FirstKeyId, _firstKey, cancellationToken);
        await RegisterAsync("bob", SecondKeyId, _secondKey, cancellationToken);
    }

    /// <summary>Training, submission, and both signatures computed over the fetched document (nothing signed yet).</summary>
    public async Task<PreparedModel> PrepareAsync(string modelId, CancellationToken cancellationToken)
    {
        await gateway.PostAsync(
            $"v1/models/{modelId}/training", TrainerToken, Training(modelId),
            GovernanceJsonContext.Default.TrainingOutputRequest, GovernanceJsonContext.Default.TrainingView, cancellationToken);
        var approval = await gateway.PostAsync(
            $"v1/models/{modelId}/approval", SubmitterToken,
            new ApprovalRequest(null, [Environment], [Scope], RequiredApprovers: 2, null, null, null),
            GovernanceJsonContext.Default.ApprovalRequest, GovernanceJsonContext.Default.ApprovalView, cancellationToken);
        var document = await gateway.GetAsync(
            $"v1/models/{modelId}/approval/document", FirstApproverToken, GovernanceJsonContext.Default.ApprovalDocumentView, cancellationToken);
        var signingInput = Convert.FromBase64String(document.SigningInput);
        return new PreparedModel(
            modelId,
            approval.WeightsHash,
            approval.ApprovalId,
            new SignatureRequest(approval.ApprovalId, FirstKeyId, Convert.ToBase64String(Ed25519.Sign(_firstKey.Seed, signingInput))),
            new SignatureRequest(approval.ApprovalId, SecondKeyId, Convert.ToBase64String(Ed25519.Sign(_secondKey.Seed, signingInput))));
    }

    /// <summary>The first of the two signatures: the approval stays pending.</summary>
    public Task<ApprovalView> SignFirstAsync(PreparedModel model, CancellationToken cancellationToken) =>
        SignAsync(model, FirstApproverToken, model.First, "pending", cancellationToken);

    /// <summary>The second signature: the approval reaches its quorum.</summary>
    public Task<ApprovalView> SignSecondAsync(PreparedModel model, CancellationToken cancellationToken) =>
        SignAsync(model, SecondApproverToken, model.Second, "quorum_reached", cancellationToken);

    public async Task<PromotionResult> DeployAsync(PreparedModel model, CancellationToken cancellationToken)
    {
        var result = await gateway.PostAsync(
            $"v1/models/{model.ModelId}/deployments", DeployerToken,
            new DeploymentRequest(model.ApprovalId, Environment, Scope, model.WeightsHash),
            GovernanceJsonContext.Default.DeploymentRequest, GovernanceJsonContext.Default.PromotionResult, cancellationToken);
        return result.Promoted ? result : throw new BenchException($"deploy of {model.ModelId} was not promoted");
    }

    /// <summary>Training only, so that drift observations have a baseline.</summary>
    public Task<TrainingView> TrainAsync(string modelId, CancellationToken cancellationToken) =>
        gateway.PostAsync(
            $"v1/models/{modelId}/training", TrainerToken, Training(modelId),
            GovernanceJsonContext.Default.TrainingOutputRequest, GovernanceJsonContext.Default.TrainingView, cancellationToken);

    /// <summary>The same training POST, only counted (201 or not; never throws on a status).</summary>
    public Task<System.Net.HttpStatusCode> TrainForStatusAsync(string modelId, CancellationToken cancellationToken) =>
        gateway.PostForStatusAsync(
            $"v1/models/{modelId}/training", TrainerToken, Training(modelId), GovernanceJsonContext.Default.TrainingOutputRequest, cancellationToken);

    /// <summary>Training and a submission (one approver, production) whose approval expires <paramref name="ttlSeconds"/> from now.</summary>
    public async Task<ApprovalView> SubmitExpiringAsync(string modelId, long ttlSeconds, CancellationToken cancellationToken)
    {
        await TrainAsync(modelId, cancellationToken);
        return await gateway.PostAsync(
            $"v1/models/{modelId}/approval", SubmitterToken,
            new ApprovalRequest(null, [Environment], [Scope], RequiredApprovers: 1, null, ttlSeconds, null),
            GovernanceJsonContext.Default.ApprovalRequest, GovernanceJsonContext.Default.ApprovalView, cancellationToken);
    }

    /// <summary>POST /v1/models/{id}/drift; returns after the 202, when the observation is appended to the stream.</summary>
    public Task<DriftAccepted> ObserveDriftAsync(string modelId, DriftObservationRequest observation, CancellationToken cancellationToken) =>
        gateway.PostAsync(
            $"v1/models/{modelId}/drift", MonitorToken, observation,
            GovernanceJsonContext.Default.DriftObservationRequest, GovernanceJsonContext.Default.DriftAccepted, cancellationToken);

    /// <summary>The same POST, only counted (202 or not): the ingest loop.</summary>
    public Task<System.Net.HttpStatusCode> ObserveDriftForStatusAsync(
        string modelId, DriftObservationRequest observation, CancellationToken cancellationToken) =>
        gateway.PostForStatusAsync(
            $"v1/models/{modelId}/drift", MonitorToken, observation, GovernanceJsonContext.Default.DriftObservationRequest, cancellationToken);

    /// <summary>GET /v1/models/{id}: the id of the latest drift observation the model applied (null when none).</summary>
    public async Task<string?> LatestDriftEventIdAsync(string modelId, CancellationToken cancellationToken) =>
        (await gateway.GetAsync($"v1/models/{modelId}", RegistryToken, GovernanceJsonContext.Default.ModelView, cancellationToken)).LatestDrift?.EventId;

    public async Task<VerifyDecision> VerifyAsync(PreparedModel model, CancellationToken cancellationToken) =>
        await gateway.GetAsync(
            $"v1/models/{model.ModelId}/verify?environment={Environment}&scope={Scope}&weights_hash={model.WeightsHash}",
            RegistryToken, GovernanceJsonContext.Default.VerifyDecision, cancellationToken);

    private async Task<ApprovalView> SignAsync(
        PreparedModel model, string token, SignatureRequest signature, string expectedStatus, CancellationToken cancellationToken)
    {
        var view = await gateway.PostAsync(
            $"v1/models/{model.ModelId}/approval/signatures", token, signature,
            GovernanceJsonContext.Default.SignatureRequest, GovernanceJsonContext.Default.ApprovalView, cancellationToken);
        return view.Status == expectedStatus
            ? view
            : throw new BenchException($"signature on {model.ModelId}: status {view.Status}, expected {expectedStatus}");
    }

    private Task<KeyView> RegisterAsync(string principal, string keyId, Ed25519KeyPair key, CancellationToken cancellationToken) =>
        gateway.PutAsync(
            $"v1/approvers/{principal}/keys/{keyId}", AdminToken, new KeyRegistrationRequest(Convert.ToBase64String(key.PublicKey)),
            GovernanceJsonContext.Default.KeyRegistrationRequest, GovernanceJsonContext.Default.KeyView, cancellationToken);
}
