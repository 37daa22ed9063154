namespace Governance.Runtime;

/// <summary>
/// Marks a grain interface method that does not change state. The runtime runs it without waiting
/// for a turn, against the activation's current immutable state snapshot.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class ReadOnlyAttribute : Attribute;
