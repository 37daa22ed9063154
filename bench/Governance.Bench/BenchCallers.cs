using System.Collections.Frozen;
using Governance.Grains;
using Governance.Grains.Calls;

namespace Governance.Bench;

/// <summary>
/// The bench's principals for the in-process silo, each with the one role its step needs, as the
/// development principals of the gateway (DESIGN §7): the token <c>bench:{principal}</c>.
/// </summary>
public sealed class BenchCallers : ICallerDirectory
{
    public const string Trainer = "trainer-1";
    public const string Submitter = "carol";
    public const string Alice = "alice";
    public const string Bob = "bob";
    public const string Deployer = "deployer-1";
    public const string Admin = "admin";
    public const string Registry = "registry-1";

    private const string Prefix = "bench:";

    private static readonly FrozenDictionary<string, CallerIdentity> ByToken = new Dictionary<string, CallerIdentity>
    {
        [TokenOf(Trainer)] = Identity(Trainer, Roles.Trainer),
        [TokenOf(Submitter)] = Identity(Submitter, Roles.Approver),
        [TokenOf(Alice)] = Identity(Alice, Roles.Approver),
        [TokenOf(Bob)] = Identity(Bob, Roles.Approver),
        [TokenOf(Deployer)] = Identity(Deployer, Roles.Deployer),
        [TokenOf(Admin)] = Identity(Admin, Roles.Admin),
        [TokenOf(Registry)] = Identity(Registry, Roles.Registry),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, CallerIdentity>.AlternateLookup<ReadOnlySpan<char>> BySpan =
        ByToken.GetAlternateLookup<ReadOnlySpan<char>>();

    public static string TokenOf(string principal) => Prefix + principal;

    public CallerIdentity? Find(ReadOnlySpan<char> token) => BySpan.TryGetValue(token, out var identity) ? identity : null;

    private static CallerIdentity Identity(string principal, string role) =>
        new(principal, new HashSet<string>([role], StringComparer.Ordinal));
}
