using System.Net;
using System.Text.Json;

namespace Governance.Gateway.Tests.Infrastructure;

/// <summary>An answer of the gateway, with assertions whose messages show the request and the body.</summary>
public sealed class ApiResponse(
    string request, HttpStatusCode status, string? mediaType, string body, IReadOnlyDictionary<string, string>? headers = null)
{
    public const string ProblemMediaType = "application/problem+json";

    private JsonElement? _json;

    public string Request { get; } = request;

    public HttpStatusCode Status { get; } = status;

    public string? MediaType { get; } = mediaType;

    public string Body { get; } = body;

    /// <summary>The response and content headers, each with its values joined by ", ".</summary>
    public IReadOnlyDictionary<string, string> Headers { get; } = headers ?? new Dictionary<string, string>();

    /// <summary>The body parsed as JSON.</summary>
    public JsonElement Json => _json ??= Parse();

    /// <summary>A top-level property of the JSON body.</summary>
    public JsonElement this[string name] =>
        Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(name, out var value)
            ? value
            : throw new Xunit.Sdk.XunitException($"{Request}: the answer has no '{name}': {Body}");

    /// <summary>Fails unless the status is <paramref name="expected"/>; returns this answer.</summary>
    public ApiResponse AssertStatus(HttpStatusCode expected)
    {
        if (Status != expected)
        {
            Assert.Fail($"{Request}: expected {(int)expected} {expected}, got {(int)Status} {Status}: {Body}");
        }

        return this;
    }

    /// <summary>
    /// Fails unless this is an RFC 9457 problem with <paramref name="status"/> and <paramref name="code"/>,
    /// naming <paramref name="field"/> when one is given.
    /// </summary>
    public ApiResponse AssertProblem(HttpStatusCode status, string code, string? field = null)
    {
        AssertStatus(status);
        Assert.True(MediaType == ProblemMediaType, $"{Request}: expected content type {ProblemMediaType}, got '{MediaType}': {Body}");
        Assert.Equal((int)status, this["status"].GetInt32());
        Assert.True(this["code"].GetString() == code, $"{Request}: expected code '{code}', got '{this["code"]}': {Body}");
        if (field is not null)
        {
            Assert.True(this["field"].ValueKind == JsonValueKind.String && this["field"].GetString() == field,
                $"{Request}: expected field '{field}', got {this["field"]}: {Body}");
        }

        return this;
    }

    public override string ToString() => $"{Request} -> {(int)Status}: {Body}";

    private JsonElement Parse()
    {
        try
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new Xunit.Sdk.XunitException($"{Request}: the body is not JSON ({exception.Message}): {Body}");
        }
    }
}
