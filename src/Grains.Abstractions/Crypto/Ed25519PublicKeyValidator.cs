using System.Numerics;

namespace Governance.Crypto;

/// <summary>
/// Whether 32 bytes are an Ed25519 public key worth registering, in managed code that depends on no
/// native binding: the encoding is canonical (RFC 8032 §5.1.3: y &lt; p once the sign bit is cleared,
/// and no "negative zero" x), it decodes to a point of the curve, the point is not of small order
/// (none of the 8 points P with [8]P = identity, among them the identity itself) and has no
/// small-order component ([L]P = identity, L the prime group order). Every key RFC 8032 key
/// generation yields is [s]B for the base point B, so it passes. Not constant time: public keys are
/// public. Meant for one key at a time (registration), not for a hot path.
/// </summary>
public static class Ed25519PublicKeyValidator
{
    private static readonly BigInteger P = (BigInteger.One << 255) - 19;

    // d = -121665 / 121666 (mod p), the curve constant of edwards25519.
    private static readonly BigInteger D = Mod(-121665 * BigInteger.ModPow(121666, P - 2, P));

    private static readonly BigInteger SqrtMinusOne = BigInteger.ModPow(2, (P - 1) / 4, P);

    // L = 2^252 + 27742317777372353535851937790883648493, the order of the base point.
    private static readonly BigInteger L = (BigInteger.One << 252) + BigInteger.Parse("27742317777372353535851937790883648493", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly Point Identity = new(BigInteger.Zero, BigInteger.One, BigInteger.One);

    public static bool IsValid(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != Ed25519.PublicKeySize || !TryDecode(publicKey, out var point))
        {
            return false;
        }

        var eightP = Double(Double(Double(point)));
        return !IsIdentity(eightP) && IsIdentity(Multiply(point, L));
    }

    /// <summary>RFC 8032 §5.1.3 point decoding; false for a non-canonical encoding or no point.</summary>
    private static bool TryDecode(ReadOnlySpan<byte> encoded, out Point point)
    {
        point = Identity;
        Span<byte> bytes = stackalloc byte[Ed25519.PublicKeySize];
        encoded.CopyTo(bytes);
        var negative = (bytes[^1] & 0x80) != 0;
        bytes[^1] &= 0x7f;
        var y = new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
        if (y >= P)
        {
            return false;
        }

        // x^2 = u / v with u = y^2 - 1, v = d y^2 + 1; the candidate root is u v^3 (u v^7)^((p-5)/8).
        var y2 = y * y % P;
        var u = Mod(y2 - 1);
        var v = Mod((D * y2) + 1);
        var v3 = v * v % P * v % P;
        var x = u * v3 % P * BigInteger.ModPow(u * v3 % P * v3 % P * v % P, (P - 5) / 8, P) % P;
        var vx2 = v * x % P * x % P;
        if (vx2 != u)
        {
            if (vx2 != Mod(-u))
            {
                return false;
            }

            x = x * SqrtMinusOne % P;
        }

        if (x.IsZero && negative)
        {
            return false;
        }

        if (x.IsEven == negative)
        {
            x = P - x;
        }

        point = new Point(x, y, BigInteger.One);
        return true;
    }

    private static Point Multiply(Point point, BigInteger scalar)
    {
        var result = Identity;
        for (var bit = (int)scalar.GetBitLength() - 1; bit >= 0; bit--)
        {
            result = Double(result);
            if (!(scalar >> bit).IsEven)
            {
                result = Add(result, point);
            }
        }

        return result;
    }

    // Projective coordinates (X : Y : Z), x = X/Z, y = Y/Z, on -x^2 + y^2 = 1 + d x^2 y^2. The
    // formulas are complete for edwards25519 (a = -1 is a square, d is not): Z never becomes 0.
    private static Point Add(Point p1, Point p2)
    {
        var a = p1.Z * p2.Z % P;
        var b = a * a % P;
        var c = p1.X * p2.X % P;
        var d = p1.Y * p2.Y % P;
        var e = D * c % P * d % P;
        var f = Mod(b - e);
        var g = (b + e) % P;
        var x = a * f % P * Mod(((p1.X + p1.Y) * (p2.X + p2.Y)) - c - d) % P;
        var y = a * g % P * ((d + c) % P) % P;
        return new Point(x, y, f * g % P);
    }

    private static Point Double(Point point)
    {
        var b = (point.X + point.Y) * (point.X + point.Y) % P;
        var c = point.X * point.X % P;
        var d = point.Y * point.Y % P;
        var f = Mod(d - c);
        var h = point.Z * point.Z % P;
        var j = Mod(f - (2 * h));
        return new Point(Mod(b - c - d) * j % P, f * Mod(-c - d) % P, f * j % P);
    }

    private static bool IsIdentity(Point point) => point.X.IsZero && point.Y == point.Z;

    private static BigInteger Mod(BigInteger value)
    {
        var r = value % P;
        return r.Sign < 0 ? r + P : r;
    }

    private readonly record struct Point(BigInteger X, BigInteger Y, BigInteger Z);
}
