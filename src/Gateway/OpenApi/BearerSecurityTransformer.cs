using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Governance.Gateway.OpenApi;

/// <summary>
/// Every operation that requires authorization requires the bearer scheme; the roles it accepts are
/// the requirement's scopes (OpenAPI 3.1 allows role names there), one requirement per alternative.
/// </summary>
internal sealed class BearerSecurityTransformer(IOptions<AuthorizationOptions> authorization) : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var alternatives = EndpointRoles.Alternatives(context.Description.ActionDescriptor.EndpointMetadata, authorization.Value);
        if (alternatives is not null)
        {
            operation.Security = alternatives
                .Select(roles => new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(GovernanceDocumentTransformer.BearerScheme, context.Document)] = [.. roles],
                })
                .ToList();
        }

        return Task.CompletedTask;
    }
}
