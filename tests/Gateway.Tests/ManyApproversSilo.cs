using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests;

/// <summary>
/// The silo of <see cref="ConcurrentSignatureTests"/>: the development principals plus
/// <see cref="Count"/> configured approvers <c>approver-00</c>… with the token <c>token-approver-NN</c>.
/// </summary>
public sealed class ManyApproversSilo : SiloFixture<ConcurrentSignatureTests>
{
    public const int Count = 60;

    public static IReadOnlyList<(string Principal, string Token)> Approvers { get; } =
        [.. Enumerable.Range(0, Count).Select(i => ($"approver-{i:00}", $"token-approver-{i:00}"))];

    protected override void Configure(IDictionary<string, string?> settings)
    {
        for (var i = 0; i < Approvers.Count; i++)
        {
            var (principal, token) = Approvers[i];
            var prefix = string.Create(CultureInfo.InvariantCulture, $"Governance:Principals:{i}");
            settings[$"{prefix}:Id"] = principal;
            settings[$"{prefix}:Roles:0"] = "approver";
            settings[$"{prefix}:TokenSha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        }
    }
}
