namespace Governance.Grains.Calls;

/// <summary>
/// The caller's bearer token travels with every grain call in Orleans' <see cref="RequestContext"/>
/// under <see cref="Key"/>; the silo resolves it to a principal and roles. The HTTP gateway and the
/// client library set it; nothing else about the caller is taken from the client.
/// </summary>
public static class CallerToken
{
    public const string Key = "gov-token";

    /// <summary>Sets the token for the grain calls that follow on this async flow.</summary>
    public static void Set(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            RequestContext.Remove(Key);
        }
        else
        {
            RequestContext.Set(Key, token);
        }
    }

    public static string? Current => RequestContext.Get(Key) as string;
}
