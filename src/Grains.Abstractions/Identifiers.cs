using System.Buffers;

namespace Governance.Grains;

/// <summary>The syntax of model ids, principals, key ids and weights hashes (DESIGN §5.1).</summary>
public static class Identifiers
{
    public const int MaxIdLength = 128;

    private static readonly SearchValues<char> IdChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-");

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>
    /// 1–128 of <c>[A-Za-z0-9._:-]</c>, not starting with <c>_</c>: that prefix is reserved for
    /// pseudo-models such as <c>_keys:{principal}</c>.
    /// </summary>
    public static bool IsValidModelId(string? value) => IsValidId(value) && value![0] != '_';

    /// <summary>
    /// A principal: the syntax of model ids, so not starting with <c>_</c> either (a principal
    /// <c>_keys:alice</c> would have the key chain <c>_keys:_keys:alice</c>).
    /// </summary>
    public static bool IsValidPrincipal(string? value) => IsValidModelId(value);

    /// <summary>Key ids (and the other names of the API): 1–128 of <c>[A-Za-z0-9._:-]</c>.</summary>
    public static bool IsValidId(string? value) =>
        value is { Length: > 0 and <= MaxIdLength } && !value.AsSpan().ContainsAnyExcept(IdChars);

    /// <summary><c>sha256:</c> + 64, <c>sha384:</c> + 96 or <c>sha512:</c> + 128 lowercase hex digits.</summary>
    public static bool IsValidWeightsHash(string? value)
    {
        if (value is null)
        {
            return false;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        var digits = value.AsSpan(colon + 1);
        var expected = value.AsSpan(0, colon) switch
        {
            "sha256" => 64,
            "sha384" => 96,
            "sha512" => 128,
            _ => -1,
        };
        return digits.Length == expected && !digits.ContainsAnyExcept(LowerHex);
    }

    /// <summary>The model id itself, or <c>invalid_request</c> naming <c>model_id</c>.</summary>
    public static string RequireModelId(string? value) =>
        IsValidModelId(value)
            ? value!
            : throw GovernanceException.Invalid("model_id", "The model id must be 1–128 characters of [A-Za-z0-9._:-], not starting with '_'.");

    /// <summary>An approver principal addressed by the API, or <c>invalid_request</c> naming <c>principal</c>.</summary>
    public static string RequirePrincipalId(string? value) =>
        IsValidId(value)
            ? value!
            : throw GovernanceException.Invalid("principal", "The principal must be 1–128 characters of [A-Za-z0-9._:-].");

    /// <summary>The ledger chain of a principal's approver keys.</summary>
    public static string KeyChainId(string principal) => "_keys:" + principal;
}
