using Governance.Grains.Calls;

namespace Governance.Grains;

/// <summary>
/// The caller of the grain call being served, as <see cref="CallerFilter"/> resolved it from the
/// call's token; null for a call the cluster made by itself (a reminder, stream delivery, the expiry
/// catch-up) without a caller's token.
/// </summary>
public static class CallerContext
{
    private static readonly AsyncLocal<CallerIdentity?> Current = new();

    public static CallerIdentity? Identity
    {
        get => Current.Value;
        internal set => Current.Value = value;
    }

    /// <summary>The caller of a command; refused as <c>unauthorized</c> when the call carries no caller.</summary>
    public static Caller Require() =>
        Identity is { } identity
            ? new Caller(identity.Principal)
            : throw new GovernanceException(ErrorCodes.Unauthorized, "This command needs an authenticated caller.");
}
