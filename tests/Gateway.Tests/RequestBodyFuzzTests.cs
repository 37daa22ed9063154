using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests;

/// <summary>
/// Random JSON of bounded size and depth against every route that reads a body: whatever arrives, the
/// answer is never a 5xx and every 4xx is problem+json with a <c>code</c> (issue 9). The bodies mix the
/// routes' own field names with random values, repeated names, numbers out of range, invalid Unicode
/// and truncation, so that they reach the binding and the domain, not only the JSON parser.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RequestBodyFuzzTests(SiloFixture<RequestBodyFuzzTests> silo) : IClassFixture<SiloFixture<RequestBodyFuzzTests>>
{
    private const int RequestsPerRoute = 120;
    private const int MaxDepth = 40;
    private const int MaxBodyBytes = 16 * 1024;

    private static readonly string[] Names =
    [
        "weights_hash", "metrics", "card", "correlation_id", "metadata", "profile", "approved_environments", "approved_scopes",
        "required_approvers", "approval_ttl_days", "approval_ttl_seconds", "supersede", "approval_id", "key_id", "signature",
        "environment", "scope", "reason", "serving_metrics", "training_metrics", "distribution", "training", "serving",
        "items", "model_id", "public_key", "accuracy", "loss", "a", "", "\u00e9", "__proto__",
    ];

    private static readonly string[] Strings =
    [
        "", " ", "production", "staging", "eu", "sha256:" + new string('a', 64), "sha256:0", "alice-1", "AAAA", "m-1", "_keys:alice",
        "\u0000", "\ud83d\ude00", "a/b", "%00", new string('x', 300), "2026-01-02T03:04:05Z", "null", "{}", "\\u0000",
    ];

    private static readonly string[] Numbers =
    [
        "0", "-0", "1", "2", "-1", "0.9", "1.5", "1e308", "-1e308", "5e-324", "1e-400", "1e999", "-1e999", "123456789012345678901234567890",
        "9007199254740993", "100", "101", "1000", "36500", "3.14e2",
    ];

    private readonly Workflow _flow = new(silo);

    /// <summary>Each route with a caller allowed on it and a well-formed body ({model}, {approval}, {weights}, {key}, {signature} filled in).</summary>
    public static TheoryData<string, string, string, string> Routes => new()
    {
        { "POST", "/v1/models/{model}/training", DevTokens.Trainer, """{"weights_hash":"{weights}","metrics":{"accuracy":0.9},"card":{"owner":"x"}}""" },
        { "POST", "/v1/models/{model}/approval", DevTokens.Alice, """{"approved_environments":["production"],"required_approvers":1,"supersede":true}""" },
        { "POST", "/v1/models/{model}/approval/signatures", DevTokens.Carol, """{"approval_id":"{approval}","key_id":"k-1","signature":"{signature}"}""" },
        { "POST", "/v1/models/{model}/deployments", DevTokens.Deployer, """{"approval_id":"{approval}","environment":"production","weights_hash":"{weights}"}""" },
        { "POST", "/v1/models/{model}/revocation", DevTokens.Admin, """{"reason":"fuzz"}""" },
        { "POST", "/v1/models/{model}/drift", DevTokens.Monitor, """{"serving_metrics":{"loss":0.2},"distribution":{"training":[1,2],"serving":[2,3]}}""" },
        { "POST", "/v1/verify", DevTokens.Registry, """{"items":[{"model_id":"{model}","environment":"production","weights_hash":"{weights}"}]}""" },
        { "PUT", "/v1/approvers/carol/keys/k-fuzz", DevTokens.Admin, """{"public_key":"{key}"}""" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Random_bodies_never_get_a_5xx_and_every_4xx_carries_a_code(string method, string route, string token, string template)
    {
        var approved = await _flow.ApprovedModelAsync();
        var key = ApproverKey.Create("carol", DevTokens.Carol).PublicKeyBase64;
        var signature = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(64));
        var path = route.Replace("{model}", approved.ModelId, StringComparison.Ordinal);
        var valid = template.Replace("{model}", approved.ModelId, StringComparison.Ordinal)
            .Replace("{approval}", approved.ApprovalId, StringComparison.Ordinal)
            .Replace("{weights}", approved.WeightsHash, StringComparison.Ordinal)
            .Replace("{key}", key, StringComparison.Ordinal)
            .Replace("{signature}", signature, StringComparison.Ordinal);
        var seed = (method + route).Aggregate(17, (hash, c) => unchecked((hash * 31) + c));
        var random = new Random(seed);
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < RequestsPerRoute; i++)
        {
            var body = random.Next(2) == 0 ? Mutated(random, valid) : Body(random);
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var response = await silo.As(token).SendAsync(new HttpMethod(method), path, content);
            var status = (int)response.Status;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var shown = $"seed {seed}, request {i}: {method} {path} with {Show(body)} -> {status} {response.Body}";
            Assert.True(status < 500, shown);
            if (status >= 400)
            {
                Assert.True(response.MediaType == ApiResponse.ProblemMediaType, $"not problem+json: {shown}");
                Assert.True(response.Json.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String && code.GetString()!.Length > 0, $"no code: {shown}");
            }
        }

        // The bodies must not all stop at the parser: some pass it and reach the domain.
        Assert.True(statuses.Keys.Any(status => status != 400), $"every body got 400; statuses: {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
    }

    /// <summary>The valid body as it is, or with one member replaced by random JSON, dropped, repeated, or joined by a stranger.</summary>
    private static byte[] Mutated(Random random, string valid)
    {
        var members = JsonDocument.Parse(valid).RootElement.EnumerateObject().Select(m => (m.Name, Raw: m.Value.GetRawText())).ToList();
        var target = random.Next(members.Count);
        switch (random.Next(6))
        {
            case 5:
                break;
            case 0:
                members.RemoveAt(target);
                break;
            case 1:
                members.Add(members[target]);
                break;
            case 2:
                members.Add((Names[random.Next(Names.Length)], RandomJson(random, 1)));
                break;
            default:
                members[target] = (members[target].Name, RandomJson(random, 1));
                break;
        }

        return Encoding.UTF8.GetBytes("{" + string.Join(",", members.Select(m => $"{JsonSerializer.Serialize(m.Name)}:{m.Raw}")) + "}");
    }

    private static string RandomJson(Random random, int depth)
    {
        var json = new StringBuilder();
        Value(random, json, depth);
        return json.ToString();
    }

    private static byte[] Body(Random random)
    {
        var json = new StringBuilder();
        Value(random, json, 0, topLevel: true);
        var bytes = Encoding.UTF8.GetBytes(json.ToString());
        if (bytes.Length > MaxBodyBytes)
        {
            bytes = bytes[..MaxBodyBytes];
        }

        switch (random.Next(12))
        {
            case 0 when bytes.Length > 1:
                return bytes[..random.Next(1, bytes.Length)];
            case 1 when bytes.Length > 2:
                var position = random.Next(1, bytes.Length - 1);
                return [.. bytes[..position], .. InvalidUtf8[random.Next(InvalidUtf8.Length)], .. bytes[position..]];
            default:
                return bytes;
        }
    }

    private static readonly byte[][] InvalidUtf8 = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0x80]];

    private static void Value(Random random, StringBuilder json, int depth, bool topLevel = false)
    {
        var kind = topLevel ? random.Next(10) < 9 ? 0 : random.Next(6) : depth >= MaxDepth ? 2 + random.Next(4) : random.Next(7);
        switch (kind)
        {
            case 0:
                json.Append('{');
                var members = random.Next(depth == 0 ? 6 : 4);
                var names = new List<string>();
                for (var i = 0; i < members; i++)
                {
                    // Now and then a name twice in one object.
                    var name = names.Count > 0 && random.Next(15) == 0 ? names[0] : Names[random.Next(Names.Length)];
                    names.Add(name);
                    json.Append(i > 0 ? "," : "").Append(JsonSerializer.Serialize(name)).Append(':');
                    Value(random, json, depth + 1);
                }

                json.Append('}');
                break;
            case 1:
                json.Append('[');
                var count = random.Next(4);
                for (var i = 0; i < count; i++)
                {
                    json.Append(i > 0 ? "," : "");
                    Value(random, json, depth + 1);
                }

                json.Append(']');
                break;
            case 2:
                json.Append(random.Next(8) == 0 ? "\"\\udc00\"" : JsonSerializer.Serialize(Strings[random.Next(Strings.Length)]));
                break;
            case 3:
                json.Append(random.Next(3) == 0 ? random.NextDouble().ToString("R", CultureInfo.InvariantCulture) : Numbers[random.Next(Numbers.Length)]);
                break;
            case 4:
                json.Append(random.Next(2) == 0 ? "true" : "false");
                break;
            case 5:
                json.Append("null");
                break;
            default:
                // A deep chain, sometimes past the depth the API accepts.
                var levels = random.Next(1, 70);
                json.Append(string.Concat(Enumerable.Repeat("{\"a\":", levels))).Append('1').Append('}', levels);
                break;
        }
    }

    private static string Show(byte[] body) =>
        body.Length <= 400 ? Encoding.Latin1.GetString(body) : Encoding.Latin1.GetString(body[..400]) + $"… ({body.Length} bytes)";
}
