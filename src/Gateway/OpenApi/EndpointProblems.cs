using Governance.Gateway.Http;
using Governance.Grains;
using Governance.Grains.Wire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Governance.Gateway.OpenApi;

/// <summary>
/// The refusal codes of an endpoint: those its <see cref="ProblemCodesMetadata"/> declares, plus
/// <c>unauthorized</c> when it requires authentication and <c>forbidden</c> when it requires a role.
/// Each code's HTTP status is <see cref="ErrorCodes.HttpStatus"/>, so the document cannot drift from the answers.
/// </summary>
internal static class EndpointProblems
{
    /// <summary>The codes by HTTP status, both in ascending order.</summary>
    public static IReadOnlyList<IGrouping<int, string>> ByStatus(IReadOnlyList<object> metadata, AuthorizationOptions authorization)
    {
        var codes = metadata.OfType<ProblemCodesMetadata>().SelectMany(m => m.Codes).ToList();
        var roles = EndpointRoles.Alternatives(metadata, authorization);
        if (roles is not null)
        {
            codes.Add(ErrorCodes.Unauthorized);
        }

        if (EndpointRoles.AreRestricted(roles))
        {
            codes.Add(ErrorCodes.Forbidden);
        }

        return codes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .GroupBy(ErrorCodes.HttpStatus).OrderBy(group => group.Key).ToList();
    }

    /// <summary>
    /// A final endpoint convention: declares a problem+json <see cref="ProblemBody"/> response for each
    /// status of the endpoint's codes that has none yet (so running it again adds nothing).
    /// </summary>
    public static void DeclareResponses(EndpointBuilder endpoint)
    {
        var authorization = endpoint.ApplicationServices.GetRequiredService<IOptions<AuthorizationOptions>>().Value;
        var declared = endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Select(m => m.StatusCode).ToHashSet();
        foreach (var status in ByStatus(endpoint.Metadata.ToList(), authorization).Select(group => group.Key).Where(declared.Add))
        {
            endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemBody), [Problems.ContentType]));
        }
    }
}
