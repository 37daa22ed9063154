namespace Governance.Runtime;

/// <summary>The stable type name of a grain class, stored with its state and reminders.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
