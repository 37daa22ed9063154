using System.Reflection;

namespace Governance.Runtime.Activation;

/// <summary>Which class implements each grain interface, and the stable type name each is stored under.</summary>
public sealed class GrainRegistry
{
    private readonly Dictionary<Type, GrainRegistration> _byInterface = [];
    private readonly Dictionary<string, GrainRegistration> _byName = new(StringComparer.Ordinal);

    public void Add(Type grainInterface, Type grainClass)
    {
        if (!grainInterface.IsInterface || !grainInterface.IsAssignableFrom(grainClass))
        {
            throw new ArgumentException($"{grainClass} does not implement grain interface {grainInterface}.");
        }

        if (!typeof(IGrainLifecycle).IsAssignableFrom(grainClass))
        {
            throw new ArgumentException($"{grainClass} must derive from Grain<TState> or StatelessGrain.");
        }

        var name = grainClass.GetCustomAttribute<GrainTypeAttribute>()?.Name ?? grainClass.Name;
        var registration = new GrainRegistration(name, grainInterface, grainClass);
        if (_byName.TryGetValue(name, out var existing) && existing.GrainClass != grainClass)
        {
            throw new ArgumentException($"Grain type name '{name}' is used by {existing.GrainClass} and {grainClass}.");
        }

        _byInterface[grainInterface] = registration;
        _byName[name] = registration;
    }

    public GrainRegistration ForInterface(Type grainInterface) =>
        _byInterface.TryGetValue(grainInterface, out var registration)
            ? registration
            : throw new InvalidOperationException($"No grain class is registered for {grainInterface}.");

    public GrainRegistration ForTypeName(string typeName) =>
        _byName.TryGetValue(typeName, out var registration)
            ? registration
            : throw new InvalidOperationException($"No grain class is registered under type name '{typeName}'.");
}
