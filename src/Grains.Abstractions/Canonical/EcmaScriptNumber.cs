using System.Globalization;
using System.Text;

namespace Governance.Canonical;

/// <summary>
/// Formats doubles like ECMAScript <c>Number.prototype.toString()</c>, as RFC 8785 §3.2.2.3 requires.
/// </summary>
public static class EcmaScriptNumber
{
    public static string Format(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException("NaN and Infinity have no JSON representation.", nameof(value));
        }

        if (value == 0)
        {
            return "0"; // Also covers -0.
        }

        // .NET's "R" yields the shortest round-trip digits; only the layout differs from ECMAScript.
        var (digits, n) = Decompose(Math.Abs(value).ToString("R", CultureInfo.InvariantCulture));
        var k = digits.Length;
        var sb = new StringBuilder(k + 8);
        if (value < 0)
        {
            sb.Append('-');
        }

        // value = 0.d1d2...dk × 10^n (ECMAScript's s × 10^(n-k)).
        if (k <= n && n <= 21)
        {
            sb.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            sb.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            sb.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            sb.Append(digits[0]);
            if (k > 1)
            {
                sb.Append('.').Append(digits, 1, k - 1);
            }

            var exponent = n - 1;
            sb.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <summary>
    /// Splits a positive "R"-formatted number ("123.45", "1E-05", "1.5E+300") into significant digits
    /// without leading/trailing zeros and the decimal point position n relative to the first digit.
    /// </summary>
    private static (string Digits, int PointPosition) Decompose(string text)
    {
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        var mantissa = text;
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = text[..e];
        }

        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? mantissa : string.Concat(mantissa.AsSpan(0, dot), mantissa.AsSpan(dot + 1));
        var point = (dot < 0 ? mantissa.Length : dot) + exponent;

        var leading = 0;
        while (leading < digits.Length && digits[leading] == '0')
        {
            leading++;
        }

        var end = digits.Length;
        while (end > leading && digits[end - 1] == '0')
        {
            end--;
        }

        return (digits[leading..end], point - leading);
    }
}
