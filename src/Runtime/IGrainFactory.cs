namespace Governance.Runtime;

/// <summary>Hands out references to grains; calls on a reference reach the grain's single activation.</summary>
public interface IGrainFactory
{
    TGrainInterface GetGrain<TGrainInterface>(string key)
        where TGrainInterface : class, IGrainWithStringKey;
}
