namespace Governance.Grains.Calls;

/// <summary>Who a grain call runs for: a configured principal and its roles.</summary>
public sealed record CallerIdentity(string Principal, IReadOnlySet<string> Roles)
{
    public bool HasAnyRole(IReadOnlyList<string> roles)
    {
        foreach (var role in roles)
        {
            if (Roles.Contains(role))
            {
                return true;
            }
        }

        return false;
    }
}
