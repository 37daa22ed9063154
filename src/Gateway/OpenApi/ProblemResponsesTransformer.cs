using System.Globalization;
using System.Text.Json;
using Governance.Gateway.Http;
using Governance.Grains.Wire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Governance.Gateway.OpenApi;

/// <summary>
/// Names, on each problem+json response, the <c>code</c> values the operation answers with at that
/// status: in the description, and as one example per code (the body <see cref="Problems"/> writes).
/// </summary>
internal sealed class ProblemResponsesTransformer(IOptions<AuthorizationOptions> authorization) : IOpenApiOperationTransformer
{
    private const string ExampleDetail = "Explains this occurrence to a person; clients act on code.";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata.ToList();
        foreach (var status in EndpointProblems.ByStatus(metadata, authorization.Value))
        {
            if (operation.Responses?.TryGetValue(status.Key.ToString(CultureInfo.InvariantCulture), out var declared) is not true
                || declared is not OpenApiResponse response
                || response.Content?.TryGetValue(Problems.ContentType, out var content) is not true)
            {
                continue;
            }

            var codes = string.Join(", ", status.Select(code => $"`{code}`"));
            response.Description = $"{ReasonPhrases.GetReasonPhrase(status.Key)}: `code` is {(status.Count() == 1 ? codes : "one of " + codes)}.";
            content.Examples = status.ToDictionary(code => code, code => (IOpenApiExample)new OpenApiExample
            {
                Summary = code,
                Value = JsonSerializer.SerializeToNode(Problems.Create(code, ExampleDetail), GovernanceJsonContext.Default.ProblemBody),
            });
        }

        return Task.CompletedTask;
    }
}
