using Governance.Grains.Calls;

namespace Governance.Client;

/// <summary>Gives every outgoing grain call the service's token unless the calling code set its own.</summary>
internal sealed class CallerTokenFilter(string token) : IOutgoingGrainCallFilter
{
    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (string.IsNullOrEmpty(CallerToken.Current))
        {
            CallerToken.Set(token);
        }

        return context.Invoke();
    }
}
