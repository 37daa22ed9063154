namespace Governance.Bench;

/// <summary>A benchmark that cannot go on: a bad argument, or a server answer that is not the expected one.</summary>
public sealed class BenchException(string message) : Exception(message);
