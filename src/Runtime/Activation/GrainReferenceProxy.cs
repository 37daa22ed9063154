using System.Reflection;

namespace Governance.Runtime.Activation;

/// <summary>The object behind a grain reference: every interface call goes to the dispatcher.</summary>
#pragma warning disable CA1852 // DispatchProxy derives a class from this one at run time.
internal class GrainReferenceProxy : DispatchProxy
#pragma warning restore CA1852
{
    private GrainDispatcher? _dispatcher;
    private GrainId _id;

    internal void Bind(GrainDispatcher dispatcher, GrainId id)
    {
        _dispatcher = dispatcher;
        _id = id;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        _dispatcher!.Invoke(_id, targetMethod!, args ?? []);
}
