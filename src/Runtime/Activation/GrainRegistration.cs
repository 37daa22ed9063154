namespace Governance.Runtime.Activation;

/// <summary>One grain interface, its implementing class, and the type name its rows carry.</summary>
public sealed record GrainRegistration(string TypeName, Type GrainInterface, Type GrainClass);
