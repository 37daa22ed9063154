namespace Governance.Gateway.Tests.Infrastructure;

/// <summary>
/// Non-canonical spellings of canonical base64 text that a lenient decoder (such as
/// <see cref="Convert.FromBase64String"/>) reads as the same bytes.
/// </summary>
public static class Base64Respelling
{
    public const string Newline = "newline";
    public const string Space = "space";
    public const string TrailingBits = "trailing bits";

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public static TheoryData<string> All => [Newline, Space, TrailingBits];

    public static string Respell(string canonical, string how)
    {
        var middle = canonical.Length / 2;
        var last = canonical.TrimEnd('=').Length - 1;
        return how switch
        {
            Newline => canonical[..middle] + "\n" + canonical[middle..],
            Space => canonical[..middle] + " " + canonical[middle..],
            TrailingBits => canonical[..last] + Alphabet[Alphabet.IndexOf(canonical[last], StringComparison.Ordinal) | 1] + canonical[(last + 1)..],
            _ => throw new ArgumentOutOfRangeException(nameof(how), how, "Not a respelling."),
        };
    }
}
