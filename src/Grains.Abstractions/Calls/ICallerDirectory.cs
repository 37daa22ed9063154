namespace Governance.Grains.Calls;

/// <summary>Maps a bearer token to its configured principal (by the token's SHA-256), or null for an unknown token.</summary>
public interface ICallerDirectory
{
    CallerIdentity? Find(ReadOnlySpan<char> token);
}
