using System.Reflection;
using System.Runtime.InteropServices;

namespace Governance.Crypto;

/// <summary>libsodium P/Invoke surface. Call <see cref="EnsureInitialized"/> before any other member.</summary>
internal static unsafe partial class Sodium
{
    private const string LibraryName = "libsodium";

    // Debian's libsodium23 ships only the versioned soname; the unversioned symlink comes with -dev.
    private static readonly string[] CandidateNames =
        ["libsodium.so.23", "libsodium.so", "libsodium", "libsodium.dylib", "libsodium.dll"];

    private static readonly Lock Gate = new();
    private static nint _handle;
    private static volatile bool _initialized;

    static Sodium() => NativeLibrary.SetDllImportResolver(typeof(Sodium).Assembly, Resolve);

    public static void EnsureInitialized()
    {
        if (_initialized)
        {
            return;
        }

        lock (Gate)
        {
            if (_initialized)
            {
                return;
            }

            _handle = TryLoad();
            if (_handle == 0)
            {
                throw new InvalidOperationException(
                    "libsodium could not be loaded (tried " + string.Join(", ", CandidateNames) + "). " +
                    "Install it, e.g. `apt-get install -y libsodium23`.");
            }

            // 0 = initialized now, 1 = already initialized, -1 = failure.
            if (sodium_init() < 0)
            {
                throw new InvalidOperationException("sodium_init() failed.");
            }

            _initialized = true;
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == LibraryName ? (_handle != 0 ? _handle : TryLoad()) : 0;

    private static nint TryLoad()
    {
        foreach (var name in CandidateNames)
        {
            if (NativeLibrary.TryLoad(name, out var handle))
            {
                return handle;
            }
        }

        return 0;
    }

    [LibraryImport(LibraryName)]
    internal static partial int sodium_init();

    [LibraryImport(LibraryName)]
    internal static partial int crypto_sign_ed25519_keypair(byte* pk, byte* sk);

    [LibraryImport(LibraryName)]
    internal static partial int crypto_sign_ed25519_seed_keypair(byte* pk, byte* sk, byte* seed);

    [LibraryImport(LibraryName)]
    internal static partial int crypto_sign_ed25519_detached(byte* sig, ulong* siglen, byte* m, ulong mlen, byte* sk);

    [LibraryImport(LibraryName)]
    internal static partial int crypto_sign_ed25519_verify_detached(byte* sig, byte* m, ulong mlen, byte* pk);
}
