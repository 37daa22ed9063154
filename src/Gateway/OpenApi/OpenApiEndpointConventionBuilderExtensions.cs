using Governance.Grains;
using Microsoft.AspNetCore.Builder;

namespace Governance.Gateway.OpenApi;

/// <summary>Route metadata for the OpenAPI document: request bodies and the refusal codes of each route.</summary>
public static class OpenApiEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Declares the refusal codes (<see cref="ErrorCodes"/>) the endpoints can answer with, as
    /// <c>application/problem+json</c> responses, one per HTTP status. Adds to codes declared before
    /// (on the group too); <c>unauthorized</c> and <c>forbidden</c> follow from the authorization metadata.
    /// </summary>
    public static TBuilder WithProblems<TBuilder>(this TBuilder builder, params IReadOnlyList<string> codes)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(new ProblemCodesMetadata(codes));
        builder.Finally(EndpointProblems.DeclareResponses);
        return builder;
    }

    /// <summary>
    /// Declares the required JSON body the handler reads itself (with <c>RequestBody.ReadAsync</c>);
    /// such a body can be too large (<c>payload_too_large</c>). Not <c>Accepts&lt;T&gt;</c>: its metadata
    /// makes routing refuse another content type with a bare 415, before the handler's 400 <c>invalid_request</c>.
    /// </summary>
    public static RouteHandlerBuilder AcceptsJson<TRequest>(this RouteHandlerBuilder builder)
        where TRequest : notnull =>
        builder.WithMetadata(new JsonBodyMetadata(typeof(TRequest))).WithProblems(ErrorCodes.PayloadTooLarge);
}
