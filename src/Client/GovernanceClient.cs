using Governance.Grains;
using Governance.Grains.Calls;
using Governance.Grains.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Governance.Client;

/// <summary>
/// The governance cluster's three planes for a .NET service, over the grain interfaces (which
/// <see cref="Grains"/> also offers directly). Every call runs as the configured token's principal
/// (<see cref="GovernanceClientOptions.Token"/>), and the silo enforces roles and separation of duties
/// exactly as for the HTTP API. Refusals raise <see cref="GovernanceException"/> with the API's codes.
/// A query the cluster did not answer is retried up to <see cref="GovernanceClientOptions.QueryAttempts"/>
/// times; a command is never repeated: it raises <see cref="GovernanceOutcomeUnknownException"/>.
/// </summary>
public sealed class GovernanceClient(IClusterClient cluster, IOptions<GovernanceClientOptions> options, ILogger<GovernanceClient> logger)
{
    /// <summary>The grain factory of the cluster, for calls this façade does not offer.</summary>
    public IGrainFactory Grains => cluster;

    /// <summary>The grain of one model; the id is checked as the HTTP API checks it.</summary>
    public IModelGovernanceGrain Model(string modelId) => cluster.GetGrain<IModelGovernanceGrain>(Identifiers.RequireModelId(modelId));

    // Training plane.

    public Task<TrainingView> RecordTrainingAsync(string modelId, TrainingOutputRequest training) =>
        CommandAsync("RecordTraining", modelId, () => Model(modelId).RecordTraining(training));

    // Governance plane.

    public Task<KeyRegistrationResult> RegisterKeyAsync(string principal, string keyId, KeyRegistrationRequest key) =>
        CommandAsync("RegisterKey", principal, () => cluster.GetGrain<IApproverKeysGrain>(Identifiers.RequirePrincipalId(principal)).RegisterKey(keyId, key));

    public Task<ApprovalView> SubmitApprovalAsync(string modelId, ApprovalRequest approval) =>
        CommandAsync("SubmitApproval", modelId, () => Model(modelId).SubmitApproval(approval));

    /// <summary>The canonical document of the pending approval: the bytes an approver signs.</summary>
    public Task<ApprovalDocumentView> GetApprovalDocumentAsync(string modelId) =>
        QueryAsync("GetApprovalDocument", modelId, () => Model(modelId).GetApprovalDocument());

    public Task<ApprovalView> AddSignatureAsync(string modelId, SignatureRequest signature) =>
        CommandAsync("AddSignature", modelId, () => Model(modelId).AddSignature(signature));

    public Task<ApprovalView> RevokeAsync(string modelId, RevocationRequest revocation) =>
        CommandAsync("Revoke", modelId, () => Model(modelId).Revoke(revocation));

    // Serving plane.

    public Task<PromotionResult> DeployAsync(string modelId, DeploymentRequest deployment) =>
        CommandAsync("Deploy", modelId, () => Model(modelId).Deploy(deployment));

    /// <summary>Whether these weights are approved for the environment and scope now; a denial is an answer.</summary>
    public Task<VerifyDecision> VerifyAsync(string modelId, string environment, string? scope, string? weightsHash) =>
        QueryAsync("Verify", modelId, () => Model(modelId).Verify(new VerifyQuery(modelId, environment, scope, weightsHash)));

    /// <summary>Puts a drift observation on the model's drift stream; returns once it is committed there.</summary>
    public Task<DriftAccepted> ObserveDriftAsync(string modelId, DriftObservationRequest observation) =>
        CommandAsync("ObserveDrift", modelId, () => Model(modelId).ObserveDrift(observation));

    public Task<ModelView> GetModelAsync(string modelId) =>
        QueryAsync("GetModel", modelId, () => Model(modelId).GetModel());

    private Task<T> QueryAsync<T>(string operation, string target, Func<Task<T>> call) =>
        QueryRetry.RunAsync(call, options.Value.QueryAttempts, (attempt, _) => ClientLog.QueryRetry(logger, operation, target, attempt));

    private static async Task<T> CommandAsync<T>(string operation, string target, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception exception) when (IsNoAnswer(exception))
        {
            throw new GovernanceOutcomeUnknownException(operation, target, exception);
        }
    }

    /// <summary>Orleans could not deliver the call or bring back its answer; the grains' own refusals are answers.</summary>
    private static bool IsNoAnswer(Exception exception) => exception is OrleansException or TimeoutException;
}
