namespace Governance.Grains.Calls;

/// <summary>
/// A grain method a caller may invoke only with one of these roles; checked by the silo's caller
/// filter before the grain runs (<c>forbidden</c> otherwise). Methods without it need only an
/// authenticated caller.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class RequiresRoleAttribute(params string[] roles) : Attribute
{
    public IReadOnlyList<string> Roles { get; } = roles;
}
