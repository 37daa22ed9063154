using Governance.Grains.Calls;

namespace Governance.Grains.Tests.Infrastructure;

/// <summary>
/// The callers of the grain tests: the token <c>as:{principal}</c> is that principal with every
/// role, so these tests exercise the grains' own rules (separation of duties, state); the roles the
/// silo's call filter checks are tested with real principals in <c>CallerFilterTests</c>.
/// </summary>
public sealed class TestCallers : ICallerDirectory
{
    public const string Observer = "observer";

    private const string Prefix = "as:";

    public static string TokenOf(string principal) => Prefix + principal;

    public CallerIdentity? Find(ReadOnlySpan<char> token) =>
        token.StartsWith(Prefix, StringComparison.Ordinal) && token.Length > Prefix.Length
            ? new CallerIdentity(token[Prefix.Length..].ToString(), Roles.All)
            : null;
}
