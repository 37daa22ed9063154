using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Governance.Gateway.OpenApi;

/// <summary>Declares the required <c>application/json</c> request body of an endpoint with <see cref="JsonBodyMetadata"/>.</summary>
internal sealed class JsonRequestBodyTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<JsonBodyMetadata>().LastOrDefault() is not { } body)
        {
            return;
        }

        // A named component, like the responses' schemas, so a generated client names the request type.
        var document = context.Document ?? throw new InvalidOperationException("The operation has no document.");
        var name = body.RequestType.Name;
        if (document.Components?.Schemas?.ContainsKey(name) is not true)
        {
            document.AddComponent(name, await context.GetOrCreateSchemaAsync(body.RequestType, null, cancellationToken));
        }

        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                ["application/json"] = new() { Schema = new OpenApiSchemaReference(name, document) },
            },
        };
    }
}
