namespace Governance.Storage.Tests;

/// <summary>The value of the test states: stored as JSON by the storage, and returned by the test grain.</summary>
[GenerateSerializer]
[Immutable]
[Alias("governance.storage.tests.test-value")]
public sealed record TestValue([property: Id(0)] string Name, [property: Id(1)] int Count);
