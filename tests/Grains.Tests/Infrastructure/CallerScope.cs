using Governance.Grains.Calls;

namespace Governance.Grains.Tests.Infrastructure;

/// <summary>Sets the caller's token for one grain call: the call takes it when it is sent, then the previous token is back.</summary>
public static class CallerScope
{
    public static T Call<T>(Caller caller, Func<T> send)
    {
        var previous = CallerToken.Current;
        CallerToken.Set(TestCallers.TokenOf(caller.Principal));
        try
        {
            return send();
        }
        finally
        {
            CallerToken.Set(previous);
        }
    }
}
