using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Governance.Gateway.OpenApi;

/// <summary>The document's info, servers, tag descriptions and the bearer security scheme.</summary>
internal sealed class GovernanceDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string BearerScheme = "bearer";

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Governance"] = "The HTTP API v1: training, governance, serving and evidence planes, and approver keys.",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Model Governance Cluster",
            Version = document.Info?.Version ?? "1.0.0",
            Description = "Decides whether these exact weights of a model are approved for this environment and scope now. "
                + "Every request carries `Authorization: Bearer <token>`. Refusals are RFC 9457 `application/problem+json` "
                + "with a stable `code`; each response lists the codes an operation answers with.",
            // The repository grants no license; say so rather than leave it unstated.
            License = new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-Proprietary" },
        };

        // The server is where this document was fetched; the paths begin with '/' themselves.
        foreach (var server in document.Servers ?? [])
        {
            if (server.Url is { Length: > 1 } url && url.EndsWith('/'))
            {
                server.Url = url.TrimEnd('/');
            }
        }

        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
        {
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description))
            {
                tag.Description = description;
            }
        }

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The token of a configured principal (`Governance:Principals`). "
                + "An operation's security requirements name the roles it accepts as their scopes; any one requirement suffices.",
        };
        return Task.CompletedTask;
    }
}
