namespace Governance.Gateway.Tests.Infrastructure;

/// <summary>What <c>redocly lint</c> said: its exit code, its totals, and every problem as text.</summary>
public sealed record RedoclyLintResult(int ExitCode, int Errors, int Warnings, string Report);
