namespace Governance.Storage.Tests.Streams;

/// <summary>The event of the stream tests: the <paramref name="N"/>-th of its stream; a poison one always fails.</summary>
[GenerateSerializer]
[Alias("governance.tests.drift-event")]
public sealed record TestDriftEvent([property: Id(0)] string Key, [property: Id(1)] int N, [property: Id(2)] bool Poison = false);
