using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Governance.Gateway.Authentication;
using Governance.Gateway.Http;
using Governance.Gateway.OpenApi;
using Governance.Grains;
using Governance.Grains.Calls;
using Governance.Grains.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ModelGrains = Governance.Grains.Calls.GrainReferences<Governance.Grains.IModelGovernanceGrain>;

namespace Governance.Gateway;

/// <summary>Every route of the HTTP API v1 (DESIGN §6). Refusals are thrown and become problem+json.</summary>
public static class GovernanceApi
{
    public const int MaxBatchItems = 1000;
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    /// <summary>
    /// How many models' grain references the routes keep (<see cref="GrainReferences{TGrain}"/>): about
    /// 0.6 KB each (581 B measured, plus the id), so about 6 MB when full.
    /// </summary>
    public const int ModelReferences = 10_000;

    private static readonly string[] Statuses = ["trained", "pending", "quorum_reached", "deployed", "revoked", "expired"];

    public static IEndpointRouteBuilder MapGovernanceApi(this IEndpointRouteBuilder app)
    {
        // The refusal codes of each route (OpenAPI); unauthorized and forbidden follow from the authorization.
        var v1 = app.MapGroup("/v1").RequireAuthorization().WithTags("Governance").WithProblems(ErrorCodes.InvalidRequest);

        var model = v1.MapGroup("/models/{id}").WithProblems(ErrorCodes.Unavailable);
        model.MapPost("/training", RecordTraining).RequireAuthorization(Policies.Trainer)
            .AcceptsJson<TrainingOutputRequest>().WithProblems(ErrorCodes.Conflict)
            .WithName("RecordTraining").WithSummary("Record a training output (training plane).");
        model.MapPost("/approval", SubmitApproval).RequireAuthorization(Policies.Approver)
            .AcceptsJson<ApprovalRequest>().WithProblems(ErrorCodes.TrainingMissing, ErrorCodes.ApprovalActive, ErrorCodes.Conflict, ErrorCodes.PolicyViolation)
            .WithName("SubmitApproval").WithSummary("Submit an approval for the recorded weights.");
        model.MapGet("/approval/document", GetApprovalDocument).WithProblems(ErrorCodes.NotFound, ErrorCodes.ApprovalNotFound)
            .WithName("GetApprovalDocument").WithSummary("The canonical document approvers sign, and its signing input.");
        model.MapPost("/approval/signatures", AddSignature).RequireAuthorization(Policies.Approver)
            .AcceptsJson<SignatureRequest>().WithProblems(ErrorCodes.NotFound).WithProblems(ProblemCodeSets.AddSignature)
            .WithName("AddSignature").WithSummary("Add an Ed25519 signature to the pending approval.");
        model.MapPost("/deployments", Deploy).RequireAuthorization(Policies.Deployer)
            .AcceptsJson<DeploymentRequest>().WithProblems(ErrorCodes.NotFound, ErrorCodes.Conflict).WithProblems(ProblemCodeSets.DeployGates)
            .WithName("Deploy").WithSummary("Promote the approved weights to an environment (serving plane).");
        model.MapPost("/revocation", Revoke).RequireAuthorization(Policies.ApproverOrAdmin)
            .AcceptsJson<RevocationRequest>().WithProblems(ErrorCodes.NotFound, ErrorCodes.ApprovalNotActive, ErrorCodes.Conflict)
            .WithName("Revoke").WithSummary("Revoke the live approval.");
        model.MapPost("/drift", ObserveDrift).RequireAuthorization(Policies.Monitor)
            .AcceptsJson<DriftObservationRequest>().WithProblems(ErrorCodes.NotFound, ErrorCodes.TrainingMissing)
            .WithName("ObserveDrift").WithSummary("Put a drift observation on the model's drift stream.");
        model.MapGet("", GetModel).WithProblems(ErrorCodes.NotFound)
            .WithName("GetModel").WithSummary("Full state of a model.");
        model.MapGet("/verify", Verify)
            .WithName("Verify").WithSummary("May these weights serve in this environment and scope now? A denial is a 200 answer.");
        model.MapGet("/evidence", GetEvidence).RequireAuthorization(Policies.AuditorOrAdmin).WithProblems(ErrorCodes.NotFound)
            .WithName("GetEvidence").WithSummary("The model's evidence ledger, oldest first.");
        model.MapGet("/evidence/verify", VerifyEvidence).RequireAuthorization(Policies.AuditorOrAdmin).WithProblems(ErrorCodes.NotFound)
            .WithName("VerifyEvidence").WithSummary("Recompute the evidence chain and compare it with the stored head.");

        // No 503 here: an item whose model cannot be loaded is denied "unavailable" in the 200 answer.
        v1.MapPost("/verify", VerifyBatch).AcceptsJson<VerifyBatchRequest>()
            .WithName("VerifyBatch").WithSummary("Up to 1000 verify questions, answered in order.");
        v1.MapGet("/models", ListModels).RequireAuthorization(Policies.AuditorOrAdmin).WithProblems(ErrorCodes.Unavailable)
            .WithName("ListModels").WithSummary("Paged listing of models by status and expiry.");
        v1.MapGet("/drift/dead-letters", ListDriftDeadLetters).RequireAuthorization(Policies.AuditorOrAdmin).WithName("ListDriftDeadLetters").WithSummary("Drift observations set aside after every delivery attempt failed, oldest first.");

        var keys = v1.MapGroup("/approvers/{principal}/keys/{keyId}").RequireAuthorization(Policies.Admin).WithProblems(ErrorCodes.Unavailable);
        keys.MapPut("", RegisterKey).AcceptsJson<KeyRegistrationRequest>().WithProblems(ErrorCodes.KeyExists, ErrorCodes.Conflict)
            .WithName("RegisterKey").WithSummary("Register an approver's Ed25519 public key.");
        keys.MapDelete("", RevokeKey).WithProblems(ErrorCodes.NotFound, ErrorCodes.Conflict)
            .WithName("RevokeKey").WithSummary("Revoke an approver's key.");
        return app;
    }

    private static async Task<Created<TrainingView>> RecordTraining(string id, HttpRequest request, ModelGrains models)
    {
        var body = await RequestBody.ReadAsync(request, GovernanceJsonContext.Default.TrainingOutputRequest);
        var view = await ModelGrain(models, id).RecordTraining(body);
        return TypedResults.Created($"/v1/models/{id}", view);
    }

    private static async Task<Created<ApprovalView>> SubmitApproval(string id, HttpRequest request, ModelGrains models)
    {
        var body = await RequestBody.ReadAsync(request, GovernanceJsonContext.Default.ApprovalRequest);
        var view = await ModelGrain(models, id).SubmitApproval(body);
        return TypedResults.Created($"/v1/models/{id}/approval/document", view);
    }

    private static async Task<Ok<ApprovalDocumentView>> GetApprovalDocument(string id, ModelGrains models) =>
        TypedResults.Ok(await QueryRetry.RunAsync(() => ModelGrain(models, id).GetApprovalDocument()));

    private static async Task<Ok<ApprovalView>> AddSignature(string id, HttpRequest request, ModelGrains models)
    {
        var body = await RequestBody.ReadAsync(request, GovernanceJsonContext.Default.SignatureRequest);
        return TypedResults.Ok(await ModelGrain(models, id).AddSignature(body));
    }

    private static async Task<Created<PromotionResult>> Deploy(string id, HttpRequest request, ModelGrains models)
    {
        var body = await RequestBody.ReadAsync(request, GovernanceJsonContext.Default.DeploymentRequest);
        var result = await ModelGrain(models, id).Deploy(body);
        return TypedResults.Created($"/v1/models/{id}", result);
    }

    private static async Task<Ok<ApprovalView>> Revoke(string id, HttpRequest request, ModelGrains models)
    {
        var body = await RequestBody.ReadAsync(request, GovernanceJsonContext.Default.RevocationRequest);
        return TypedResults.Ok(await ModelGrain(models, id).Revoke(body));
    }

    private static async Task<Accepted<DriftAccepted>> ObserveDrift(string id, HttpRequest request, ModelGrains models)
    {
        var body = await RequestBody.ReadAsync(request, GovernanceJsonContext.Default.DriftObservationRequest);
        return TypedResults.Accepted($"/v1/models/{id}", await ModelGrain(models, id).ObserveDrift(body));
    }

    private static async Task<Ok<ModelView>> GetModel(string id, ModelGrains models) =>
        TypedResults.Ok(await QueryRetry.RunAsync(() => ModelGrain(models, id).GetModel()));

    private static async Task<Ok<VerifyDecision>> Verify(
        string id, string? environment, string? scope, [FromQuery(Name = "weights_hash")] string? weightsHash, ModelGrains models)
    {
        var query = ValidQuery(new VerifyQuery(id, environment, scope, weightsHash), "");
        var decision = await QueryRetry.RunAsync(() => ModelGrain(models, id).Verify(query));
        CountDecision(decision);
        return TypedResults.Ok(decision);
    }

    private static async Task<Ok<VerifyBatchResponse>> VerifyBatch(HttpRequest request, ModelGrains models)
    {
        var body = await RequestBody.ReadAsync(request, GovernanceJsonContext.Default.VerifyBatchRequest);
        if (body.Items is not { Count: > 0 and <= MaxBatchItems } items)
        {
            throw GovernanceException.Invalid("items", $"items must list 1–{MaxBatchItems} questions.");
        }

        var queries = items.Select((item, index) => ValidQuery(item, $"items[{index}].")).ToArray();
        var decisions = await Task.WhenAll(queries.Select(q => VerifyOrDenyAsync(models, q)));
        return TypedResults.Ok(new VerifyBatchResponse(decisions));
    }

    /// <summary>
    /// One batch item: a model whose state cannot be loaded is denied with reason <c>unavailable</c>
    /// rather than failing the whole batch.
    /// </summary>
    private static async Task<VerifyDecision> VerifyOrDenyAsync(ModelGrains models, VerifyQuery query)
    {
        VerifyDecision decision;
        try
        {
            decision = await QueryRetry.RunAsync(() => models.Get(query.ModelId!).Verify(query));
        }
        catch (Exception exception) when (ErrorHandlingMiddleware.IsUnavailable(exception))
        {
            decision = new VerifyDecision(query.ModelId, false, ErrorCodes.Unavailable, null, null, null);
        }

        CountDecision(decision);
        return decision;
    }

    private static void CountDecision(VerifyDecision decision) =>
        GatewayMetrics.VerifyDecisions.Add(1, new KeyValuePair<string, object?>("allowed", decision.Allowed ? "true" : "false"), new KeyValuePair<string, object?>("reason", decision.Reason));

    private static async Task<Ok<EvidencePage>> GetEvidence(
        string id, [FromQuery(Name = "page_token")] string? pageToken, [FromQuery(Name = "limit")] string? limit, IGrainFactory grains, ModelGrains models)
    {
        var after = pageToken is null ? 0 : ParsePageToken(pageToken);
        return TypedResults.Ok(await QueryRetry.RunAsync(() => EvidenceGrain(grains, models, id).GetEvidence(after, PageSize(limit))));
    }

    private static async Task<Ok<ChainVerification>> VerifyEvidence(string id, IGrainFactory grains, ModelGrains models) =>
        TypedResults.Ok(await QueryRetry.RunAsync(() => EvidenceGrain(grains, models, id).VerifyEvidence()));

    private static async Task<Ok<ModelListPage>> ListModels(
        string? status,
        [FromQuery(Name = "expiring_within_days")] string? expiringWithinDays,
        [FromQuery(Name = "page_token")] string? pageToken,
        [FromQuery(Name = "limit")] string? limit,
        IGrainFactory grains)
    {
        if (status is not null && !Statuses.Contains(status, StringComparer.Ordinal))
        {
            throw GovernanceException.Invalid("status", $"status must be one of {string.Join(", ", Statuses)}.");
        }

        TimeSpan? within = null;
        if (expiringWithinDays is not null)
        {
            within = double.TryParse(expiringWithinDays, NumberStyles.Float, CultureInfo.InvariantCulture, out var days)
                && double.IsFinite(days) && days is >= 0 and <= 36_500
                ? TimeSpan.FromDays(days)
                : throw GovernanceException.Invalid("expiring_within_days", "expiring_within_days must be a number of days between 0 and 36500.");
        }

        if (pageToken is not null && !Identifiers.IsValidModelId(pageToken))
        {
            throw GovernanceException.Invalid("page_token", "page_token is not one this API returned.");
        }

        return TypedResults.Ok(await QueryRetry.RunAsync(() => Listings(grains).ListModels(status, within, pageToken, PageSize(limit))));
    }

    private static async Task<Results<Created<KeyView>, Ok<KeyView>>> RegisterKey(
        string principal, string keyId, HttpRequest request, IGrainFactory grains)
    {
        var body = await RequestBody.ReadAsync(request, GovernanceJsonContext.Default.KeyRegistrationRequest);
        var result = await KeysGrain(grains, principal).RegisterKey(keyId, body);
        return result.Created
            ? TypedResults.Created($"/v1/approvers/{principal}/keys/{keyId}", result.Key)
            : TypedResults.Ok(result.Key);
    }

    private static async Task<Ok<KeyView>> RevokeKey(string principal, string keyId, IGrainFactory grains) =>
        TypedResults.Ok(await KeysGrain(grains, principal).RevokeKey(keyId));

    private static string PrincipalOf(ClaimsPrincipal user) =>
        user.Identity?.Name ?? throw new InvalidOperationException("An authenticated principal has no name.");

    private static IListingGrain Listings(IGrainFactory grains) => grains.GetGrain<IListingGrain>(0);

    private static IModelGovernanceGrain ModelGrain(ModelGrains models, string id) => models.Get(Identifiers.RequireModelId(id));

    private static IApproverKeysGrain KeysGrain(IGrainFactory grains, string principal) =>
        grains.GetGrain<IApproverKeysGrain>(Identifiers.RequirePrincipalId(principal));

    /// <summary>A model's chain, or an approver's key chain addressed as the pseudo-model <c>_keys:{principal}</c>.</summary>
    private static IEvidenceGrain EvidenceGrain(IGrainFactory grains, ModelGrains models, string id)
    {
        const string keysPrefix = "_keys:";
        return id.StartsWith(keysPrefix, StringComparison.Ordinal)
            ? KeysGrain(grains, id[keysPrefix.Length..])
            : ModelGrain(models, id);
    }

    private static VerifyQuery ValidQuery(VerifyQuery? query, string fieldPrefix)
    {
        if (query is null)
        {
            throw GovernanceException.Invalid(fieldPrefix.TrimEnd('.'), "Each item must be an object {model_id, environment, scope?, weights_hash?}.");
        }

        if (!Identifiers.IsValidModelId(query.ModelId))
        {
            throw GovernanceException.Invalid(fieldPrefix + "model_id", "model_id must be 1–128 characters of [A-Za-z0-9._:-], not starting with '_'.");
        }

        if (!Identifiers.IsValidId(query.Environment))
        {
            throw GovernanceException.Invalid(fieldPrefix + "environment", "environment is required: 1–128 characters of [A-Za-z0-9._:-].");
        }

        if (query.Scope is not null && !Identifiers.IsValidId(query.Scope))
        {
            throw GovernanceException.Invalid(fieldPrefix + "scope", "scope must be 1–128 characters of [A-Za-z0-9._:-].");
        }

        if (query.WeightsHash is not null && !Identifiers.IsValidWeightsHash(query.WeightsHash))
        {
            throw GovernanceException.Invalid(fieldPrefix + "weights_hash", "weights_hash must be sha256:/sha384:/sha512: followed by lowercase hex.");
        }

        return query;
    }

    private static int PageSize(string? limit) =>
        limit is null ? DefaultPageSize
        : int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= MaxPageSize ? size
        : throw GovernanceException.Invalid("limit", $"limit must be a whole number between 1 and {MaxPageSize}.");

    private static long ParsePageToken(string token) =>
        long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) && seq > 0
            ? seq
            : throw GovernanceException.Invalid("page_token", "page_token is not one this API returned.");

    private static async Task<Ok<DriftDeadLetterPage>> ListDriftDeadLetters(
        [FromQuery(Name = "model_id")] string? modelId, [FromQuery(Name = "page_token")] string? pageToken, [FromQuery(Name = "limit")] string? limit,
        IGrainFactory grains)
    {
        if (modelId is not null && !Identifiers.IsValidModelId(modelId))
        {
            throw GovernanceException.Invalid("model_id", "model_id must be 1–128 characters of [A-Za-z0-9._:-], not starting with '_'.");
        }

        var size = PageSize(limit);
        var after = pageToken is null ? 0 : ParsePageToken(pageToken);
        return TypedResults.Ok(await QueryRetry.RunAsync(() => Listings(grains).ListDriftDeadLetters(modelId, after, size)));
    }
}
