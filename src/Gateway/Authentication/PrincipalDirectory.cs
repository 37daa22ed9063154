using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Governance.Grains;
using Governance.Grains.Calls;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Governance.Gateway.Authentication;

/// <summary>
/// Maps the SHA-256 of a bearer token to its principal, and knows which principals are approvers.
/// Built once at start; refuses the development tokens outside the Development environment.
/// </summary>
public sealed class PrincipalDirectory : IApproverDirectory, ICallerDirectory
{
    private readonly Dictionary<string, ClaimsPrincipal> _byTokenHash = new(StringComparer.Ordinal);
    private readonly HashSet<string> _approvers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClaimsPrincipal>.AlternateLookup<ReadOnlySpan<char>> _byTokenHashSpan;
    private readonly Dictionary<ClaimsPrincipal, CallerIdentity> _identities = [];

    public PrincipalDirectory(IOptions<GatewayAuthOptions> options, IHostEnvironment environment)
    {
        _byTokenHashSpan = _byTokenHash.GetAlternateLookup<ReadOnlySpan<char>>();
        var developmentHashes = DevelopmentPrincipals.All.ToDictionary(p => HashToken(p.Token), p => p.Id, StringComparer.Ordinal);
        if (environment.IsDevelopment())
        {
            foreach (var (id, roles, token) in DevelopmentPrincipals.All)
            {
                Add(id, roles, HashToken(token));
            }
        }

        foreach (var principal in options.Value.Principals)
        {
            var hash = principal.TokenSha256.Trim().ToLowerInvariant();
            if (!environment.IsDevelopment() && developmentHashes.ContainsKey(hash))
            {
                throw new InvalidOperationException($"Principal '{principal.Id}' uses a development token, which is refused outside the Development environment.");
            }

            Add(principal.Id, principal.Roles, hash);
        }
    }

    /// <summary>True when the principal holds the approver role under any of its tokens.</summary>
    public bool IsApprover(string principal) => _approvers.Contains(principal);

    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Runs on every request: hashes and looks up without allocating for tokens of ordinary length.</summary>
    public ClaimsPrincipal? Find(ReadOnlySpan<char> token)
    {
        var byteCount = Encoding.UTF8.GetByteCount(token);
        var bytes = byteCount <= 512 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(token, bytes);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, hash);
        Span<char> hex = stackalloc char[SHA256.HashSizeInBytes * 2];
        Convert.TryToHexStringLower(hash, hex, out _);
        return _byTokenHashSpan.TryGetValue(hex, out var principal) ? principal : null;
    }

    CallerIdentity? ICallerDirectory.Find(ReadOnlySpan<char> token) =>
        Find(token) is { } principal ? _identities[principal] : null;

    private void Add(string id, IEnumerable<string> roles, string tokenHash)
    {
        if (!Identifiers.IsValidId(id))
        {
            throw new InvalidOperationException($"Principal id '{id}' is not 1–128 characters of [A-Za-z0-9._:-].");
        }

        if (tokenHash.Length != 64 || !tokenHash.All(char.IsAsciiHexDigitLower))
        {
            throw new InvalidOperationException($"Principal '{id}': TokenSha256 must be 64 lowercase hex digits.");
        }

        var unknown = roles.FirstOrDefault(r => !Roles.All.Contains(r));
        if (unknown is not null)
        {
            throw new InvalidOperationException($"Principal '{id}' has unknown role '{unknown}'.");
        }

        if (roles.Contains(Roles.Approver, StringComparer.Ordinal))
        {
            if (!Identifiers.IsValidPrincipal(id))
            {
                throw new InvalidOperationException($"Principal '{id}' is an approver, and an approver's id must not start with '_' (reserved for pseudo-models such as _keys:{{principal}}).");
            }

            _approvers.Add(id);
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, id) };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, BearerTokenHandler.SchemeName));
        if (!_byTokenHash.TryAdd(tokenHash, principal))
        {
            throw new InvalidOperationException($"Principal '{id}' shares its token with another principal.");
        }

        _identities[principal] = new CallerIdentity(id, roles.ToHashSet(StringComparer.Ordinal));
    }
}
