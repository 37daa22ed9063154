namespace Governance.Runtime.Streams;

/// <summary>The grains of <see cref="GrainTypeName"/> consume <see cref="Namespace"/>; the type name is the consumer.</summary>
public sealed record StreamSubscription(string Namespace, string GrainTypeName);
