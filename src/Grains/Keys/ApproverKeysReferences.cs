using System.Collections.Concurrent;

namespace Governance.Grains.Keys;

/// <summary>
/// The silo's references to <see cref="IApproverKeysGrain"/>, one per principal, made once: a model
/// grain asks the signer's key grain on every signature, and <see cref="IGrainFactory.GetGrain{TGrainInterface}(string, string?)"/>
/// resolves the interface and grain type again on each call. Holds only principals that signed
/// through this silo (resolved callers with the approver role, so bounded by the configured ones).
/// </summary>
public sealed class ApproverKeysReferences(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<string, IApproverKeysGrain> _references = new(StringComparer.Ordinal);

    public IApproverKeysGrain For(string principal) =>
        _references.GetOrAdd(principal, static (key, factory) => factory.GetGrain<IApproverKeysGrain>(key), grains);
}
