using System.Collections.Concurrent;
using System.Reflection;
using Governance.Grains.Calls;
using Governance.Storage;
using Orleans.Storage;

namespace Governance.Grains;

/// <summary>
/// The silo's incoming call filter for the governance grains (DESIGN §4, "Who is calling"). A call
/// from a client (the HTTP gateway, the client library) must carry a known bearer token in
/// <see cref="CallerToken"/>: none or an unknown one is <c>unauthorized</c>; a method's
/// <see cref="RequiresRoleAttribute"/> roles are checked (<c>forbidden</c>), and
/// <see cref="ClusterOnlyAttribute"/> methods are refused to clients. Calls from inside the cluster
/// (grains, reminders, stream agents, grain services: Orleans names their source) run with the
/// token they carry, or as the cluster itself when they carry none. The resolved caller is what the
/// grain sees in <see cref="CallerContext"/>. Storage failures leave the silo as the domain's
/// <c>unavailable</c> and <c>conflict</c> refusals, so every caller gets the same stable codes.
/// </summary>
internal sealed class CallerFilter(ICallerDirectory directory) : IIncomingGrainCallFilter
{
    private static readonly Assembly GovernanceGrains = typeof(CallerFilter).Assembly;

    private readonly ConcurrentDictionary<MethodInfo, MethodRule> _rules = new();

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.Grain?.GetType().Assembly != GovernanceGrains)
        {
            await context.Invoke();
            return;
        }

        var fromClient = context.SourceId is not { } source || source.IsClient();
        var rule = _rules.GetOrAdd(context.InterfaceMethod, MethodRule.Of);
        var identity = Resolve(fromClient, rule);
        var outer = CallerContext.Identity;
        CallerContext.Identity = identity;
        try
        {
            await context.Invoke();
        }
        catch (StorageUnavailableException exception)
        {
            throw new GovernanceException(ErrorCodes.Unavailable, $"Storage is unavailable; nothing was changed. Retry later. ({exception.Message})");
        }
        catch (InconsistentStateException)
        {
            throw new GovernanceException(ErrorCodes.Conflict, "The record changed concurrently; retry the request.");
        }
        finally
        {
            CallerContext.Identity = outer;
        }
    }

    private CallerIdentity? Resolve(bool fromClient, MethodRule rule)
    {
        var token = CallerToken.Current;
        if (string.IsNullOrEmpty(token))
        {
            return fromClient
                ? throw new GovernanceException(ErrorCodes.Unauthorized, "The call carries no bearer token.")
                : null;
        }

        var identity = directory.Find(token)
            ?? throw new GovernanceException(ErrorCodes.Unauthorized, "The bearer token is not known.");
        if (fromClient && rule.ClusterOnly)
        {
            throw new GovernanceException(ErrorCodes.Forbidden, "This method is called by the cluster only.");
        }

        if (rule.Roles is { } roles && !identity.HasAnyRole(roles))
        {
            throw new GovernanceException(ErrorCodes.Forbidden, $"{identity.Principal} needs one of the roles {string.Join(", ", roles)}.");
        }

        return identity;
    }

    private sealed record MethodRule(IReadOnlyList<string>? Roles, bool ClusterOnly)
    {
        public static MethodRule Of(MethodInfo method) => new(
            method.GetCustomAttribute<RequiresRoleAttribute>()?.Roles,
            method.GetCustomAttribute<ClusterOnlyAttribute>() is not null);
    }
}
