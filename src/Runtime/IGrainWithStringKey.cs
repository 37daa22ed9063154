namespace Governance.Runtime;

/// <summary>Marker for grain interfaces: a grain addressed by a string key.</summary>
#pragma warning disable CA1040 // A marker interface is the point: it constrains GetGrain.
public interface IGrainWithStringKey;
#pragma warning restore CA1040
