namespace Governance.Grains.Calls;

/// <summary>
/// A grain method only the cluster itself calls (another grain, a reminder, stream delivery, a
/// silo service): a call from a client is refused with <c>forbidden</c> whatever its token.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true)]
public sealed class ClusterOnlyAttribute : Attribute;
