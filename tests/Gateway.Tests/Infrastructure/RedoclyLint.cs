using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Governance.Gateway.Tests.Infrastructure;

/// <summary>
/// The pinned Redocly CLI of <c>tools/openapi-lint</c> (installed by <c>./scripts/test.sh</c>, which
/// names it in <c>GOVERNANCE_TEST_REDOCLY</c>), run on an OpenAPI document with the recommended rules.
/// A missing binary fails the test, it never skips.
/// </summary>
public static class RedoclyLint
{
    public const string EnvironmentVariable = "GOVERNANCE_TEST_REDOCLY";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static async Task<RedoclyLintResult> RunAsync(string document)
    {
        var binary = FindBinary();
        var directory = Directory.CreateTempSubdirectory("governance-openapi-");
        try
        {
            var file = Path.Combine(directory.FullName, "openapi.json");
            await File.WriteAllTextAsync(file, document);
            var start = new ProcessStartInfo(binary)
            {
                ArgumentList = { "lint", "--extends=recommended", "--format=json", file },
                WorkingDirectory = directory.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                Environment = { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" },
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {binary}.");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{binary} lint did not finish within {Timeout}: {await error}");
            }

            return Parse(binary, process.ExitCode, await output, await error);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static RedoclyLintResult Parse(string binary, int exitCode, string output, string error)
    {
        JsonElement report;
        try
        {
            report = JsonDocument.Parse(output).RootElement;
        }
        catch (JsonException)
        {
            Assert.Fail($"{binary} lint exited {exitCode} without a JSON report. Output: {output} Errors: {error}");
            throw;
        }

        var totals = report.GetProperty("totals");
        var text = new StringBuilder($"redocly {report.GetProperty("version")} lint --extends=recommended exited {exitCode}: ")
            .Append($"{totals.GetProperty("errors")} errors, {totals.GetProperty("warnings")} warnings.");
        foreach (var problem in report.GetProperty("problems").EnumerateArray())
        {
            var at = problem.GetProperty("location").EnumerateArray().Select(l => l.GetProperty("pointer").GetString()).FirstOrDefault();
            text.Append($"\n  {problem.GetProperty("severity")} {problem.GetProperty("ruleId")} at {at}: {problem.GetProperty("message")}");
        }

        return new RedoclyLintResult(exitCode, totals.GetProperty("errors").GetInt32(), totals.GetProperty("warnings").GetInt32(), text.ToString());
    }

    /// <summary>The binary <c>GOVERNANCE_TEST_REDOCLY</c> names, else the one <c>./scripts/test.sh</c> installed in this checkout.</summary>
    private static string FindBinary()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        var binary = configured is { Length: > 0 } ? configured : InstalledBinary();
        if (binary is null || !File.Exists(binary))
        {
            Assert.Fail(
                $"The Redocly CLI is not installed ({EnvironmentVariable}={configured ?? "(unset)"}). Run the tests with ./scripts/test.sh, " +
                "which installs the pinned version from tools/openapi-lint (npm ci) and sets " + EnvironmentVariable + ".");
        }

        return binary;
    }

    private static string? InstalledBinary()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tools", "openapi-lint", "node_modules", ".bin", "redocly");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
