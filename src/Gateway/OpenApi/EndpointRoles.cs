using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;

namespace Governance.Gateway.OpenApi;

/// <summary>What an endpoint's authorization metadata asks of the caller, read from the policies themselves.</summary>
internal static class EndpointRoles
{
    /// <summary>
    /// Null when the endpoint is anonymous. Otherwise the alternatives that each satisfy it, every one
    /// a set of roles held together: <c>[[]]</c> is any authenticated principal, <c>[[approver], [admin]]</c>
    /// either role.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>>? Alternatives(IEnumerable<object> metadata, AuthorizationOptions options)
    {
        var items = metadata.ToList();
        var authorize = items.OfType<IAuthorizeData>().ToList();
        if (authorize.Count == 0 || items.OfType<IAllowAnonymous>().Any())
        {
            return null;
        }

        IEnumerable<IReadOnlyList<string>> alternatives = [[]];
        foreach (var anyOf in authorize.SelectMany(data => RoleRequirements(data, options)))
        {
            alternatives = alternatives
                .SelectMany(held => anyOf.Select(role => held.Contains(role, StringComparer.Ordinal) ? held : (IReadOnlyList<string>)[.. held, role]))
                .ToList();
        }

        return alternatives.ToList();
    }

    /// <summary>True when some role is required: a principal without it is refused <c>forbidden</c>.</summary>
    public static bool AreRestricted(IReadOnlyList<IReadOnlyList<string>>? alternatives) =>
        alternatives is not null && alternatives.All(roles => roles.Count > 0);

    /// <summary>Each requirement lists roles of which one is enough.</summary>
    private static IEnumerable<IReadOnlyList<string>> RoleRequirements(IAuthorizeData data, AuthorizationOptions options)
    {
        if (!string.IsNullOrWhiteSpace(data.Roles))
        {
            yield return data.Roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        var policy = data.Policy is null
            ? options.DefaultPolicy
            : options.GetPolicy(data.Policy) ?? throw new InvalidOperationException($"The authorization policy '{data.Policy}' is not registered.");
        foreach (var roles in policy.Requirements.OfType<RolesAuthorizationRequirement>())
        {
            yield return roles.AllowedRoles.ToList();
        }
    }
}
