using System.Reflection;

namespace Governance.Runtime.Activation;

/// <summary>Grain references that call activations in this process.</summary>
internal sealed class LocalGrainFactory(GrainRegistry registry, GrainDispatcher dispatcher) : IGrainFactory
{
    public TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : class, IGrainWithStringKey
    {
        var typeName = registry.ForInterface(typeof(TGrainInterface)).TypeName;
        var reference = DispatchProxy.Create<TGrainInterface, GrainReferenceProxy>();
        ((GrainReferenceProxy)(object)reference).Bind(dispatcher, new GrainId(typeName, key));
        return reference;
    }
}
