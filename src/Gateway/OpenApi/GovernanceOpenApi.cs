using Governance.Grains.Wire;
using Microsoft.AspNetCore.OpenApi;

namespace Governance.Gateway.OpenApi;

/// <summary>The OpenAPI document v1: request bodies, problem responses with their codes, bearer security.</summary>
public static class GovernanceOpenApi
{
    public const string DocumentName = "v1";

    public static void Configure(OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.CreateSchemaReferenceId = type =>
            type.Type == typeof(ProblemBody) ? "Problem" : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        options.AddDocumentTransformer<GovernanceDocumentTransformer>();
        options.AddOperationTransformer<JsonRequestBodyTransformer>();
        options.AddOperationTransformer<BearerSecurityTransformer>();
        options.AddOperationTransformer<ProblemResponsesTransformer>();
    }
}
