using System.Net;
using System.Text.Json;
using Governance.Gateway.Tests.Infrastructure;
using Governance.Grains;

namespace Governance.Gateway.Tests;

/// <summary>
/// <c>GET /openapi/v1.json</c> read as a client generator reads it (issue 9, row 16): request bodies,
/// problem+json refusals with their codes, bearer security, and Redocly's recommended rules.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OpenApiDocumentTests(SiloFixture<OpenApiDocumentTests> silo) : IClassFixture<SiloFixture<OpenApiDocumentTests>>
{
    private static readonly string[] BodyMethods = ["post", "put", "patch"];

    [Fact]
    public async Task The_document_passes_the_recommended_lint_rules_without_a_warning()
    {
        var document = (await silo.As(null).GetAsync("/openapi/v1.json")).AssertStatus(HttpStatusCode.OK);

        var lint = await RedoclyLint.RunAsync(document.Body);

        Assert.True(lint is { ExitCode: 0, Errors: 0, Warnings: 0 }, lint.Report);
    }

    [Fact]
    public async Task Every_v1_operation_requires_the_bearer_scheme()
    {
        var document = await DocumentAsync();

        var scheme = document.Field("components").Field("securitySchemes").Field("bearer");
        Assert.Equal("http", scheme.Text("type"));
        Assert.Equal("bearer", scheme.Text("scheme"));
        Assert.False(document.TryGetProperty("security", out _), "No document-wide security: the probes need none.");
        foreach (var (name, operation) in Operations(document))
        {
            Assert.True(operation.TryGetProperty("security", out var security) && security.GetArrayLength() > 0, $"{name} declares no security.");
            Assert.All(security.EnumerateArray(), requirement => Assert.True(requirement.TryGetProperty("bearer", out _), $"{name}: {requirement}"));
        }
    }

    [Fact]
    public async Task Role_restricted_operations_name_their_roles_and_answer_forbidden()
    {
        var document = await DocumentAsync();

        Assert.Equal(["deployer"], Roles(document, "Deploy"));
        Assert.Equal(["approver", "admin"], Roles(document, "Revoke"));
        Assert.Equal([""], Roles(document, "Verify"));
        Assert.Contains(ErrorCodes.Forbidden, Codes(Operation(document, "Deploy"), 403));
        Assert.False(Responses(Operation(document, "Verify")).TryGetProperty("403", out _), "Any principal may verify: no 403.");
    }

    [Fact]
    public async Task Every_operation_that_sends_a_body_declares_its_json_schema()
    {
        var document = await DocumentAsync();

        foreach (var (name, operation) in Operations(document).Where(o => BodyMethods.Any(m => o.Name.StartsWith(m + " ", StringComparison.Ordinal))))
        {
            Assert.True(operation.TryGetProperty("requestBody", out var body), $"{name} declares no request body.");
            Assert.True(body.Field("required").GetBoolean(), $"{name}: the body is optional.");
            var schema = body.Field("content").Field("application/json").Field("schema");
            Assert.True(schema.TryGetProperty("$ref", out _), $"{name}: the body has no schema: {body}");
        }

        var deployment = Schema(document, Operation(document, "Deploy").Field("requestBody").Field("content").Field("application/json").Field("schema"));
        Assert.Equal(["approval_id", "environment", "scope", "weights_hash"], deployment.Field("properties").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Every_operation_declares_its_refusals_as_problem_json_at_the_status_of_their_code()
    {
        var document = await DocumentAsync();

        foreach (var (name, operation) in Operations(document))
        {
            var refusals = Responses(operation).EnumerateObject().Where(r => r.Name.StartsWith('4') || r.Name.StartsWith('5')).ToList();
            Assert.True(refusals.Any(r => r.Name.StartsWith('4')), $"{name} declares no 4xx answer.");
            Assert.Contains(refusals, r => r.Name == "401");
            foreach (var refusal in refusals)
            {
                var content = refusal.Value.Field("content").Field("application/problem+json");
                Assert.Equal("#/components/schemas/Problem", content.Field("schema").Text("$ref"));
                var codes = content.Field("examples").EnumerateObject().Select(e => e.Name).ToList();
                Assert.NotEmpty(codes);
                Assert.All(codes, code => Assert.True(ErrorCodes.HttpStatus(code).ToString(System.Globalization.CultureInfo.InvariantCulture) == refusal.Name, $"{name}: {code} under {refusal.Name}"));
                Assert.All(codes, code => Assert.Contains($"`{code}`", refusal.Value.Text("description"), StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task The_problem_schema_is_the_body_problems_are_written_with()
    {
        var document = await DocumentAsync();
        var problem = document.Field("components").Field("schemas").Field("Problem");

        Assert.Equal(["type", "title", "status", "detail", "code", "field", "failures"], problem.Field("properties").EnumerateObject().Select(p => p.Name));
        var refusal = (await silo.As(null).GetAsync("/v1/models")).AssertProblem(HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        Assert.Equal(problem.Field("properties").EnumerateObject().Select(p => p.Name), refusal.Json.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Deploy_lists_its_gates_and_verify_answers_gates_in_a_200()
    {
        var document = await DocumentAsync();
        var deploy = Operation(document, "Deploy");
        var verify = Operation(document, "Verify");

        Assert.Contains(ErrorCodes.WeightsMismatch, Codes(deploy, 409));
        Assert.Contains(ErrorCodes.QuorumNotMet, Codes(deploy, 409));
        Assert.Contains(ErrorCodes.SeparationOfDuties, Codes(deploy, 403));
        Assert.Contains(ErrorCodes.ApprovalNotFound, Codes(deploy, 404));
        Assert.Equal(
            [ErrorCodes.InvalidRequest, ErrorCodes.Unauthorized, ErrorCodes.Unavailable],
            Responses(verify).EnumerateObject().Where(r => r.Name != "200").SelectMany(r => Codes(verify, int.Parse(r.Name, System.Globalization.CultureInfo.InvariantCulture))));
        Assert.False(Responses(Operation(document, "VerifyBatch")).TryGetProperty("503", out _), "A batch denies an unloadable model in its 200 answer.");
    }

    private async Task<JsonElement> DocumentAsync() =>
        (await silo.As(null).GetAsync("/openapi/v1.json")).AssertStatus(HttpStatusCode.OK).Json;

    /// <summary>Every operation of the document, named "method path".</summary>
    private static List<(string Name, JsonElement Operation)> Operations(JsonElement document) =>
        [.. document.Field("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => ($"{operation.Name} {path.Name}", operation.Value)))];

    private static JsonElement Operation(JsonElement document, string operationId) =>
        Operations(document).Select(o => o.Operation).SingleOrDefault(o => o.Text("operationId") == operationId) is { ValueKind: JsonValueKind.Object } operation
            ? operation
            : throw new Xunit.Sdk.XunitException($"No operation {operationId} in the document.");

    private static JsonElement Responses(JsonElement operation) => operation.Field("responses");

    private static string[] Codes(JsonElement operation, int status) =>
        [.. Responses(operation).Field(status.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Field("content").Field("application/problem+json").Field("examples").EnumerateObject().Select(e => e.Name)];

    /// <summary>The roles of each security requirement, comma-separated ("" for any principal).</summary>
    private static string[] Roles(JsonElement document, string operationId) =>
        [.. Operation(document, operationId).Field("security").EnumerateArray()
            .Select(requirement => string.Join(",", requirement.Field("bearer").EnumerateArray().Select(role => role.GetString())))];

    private static JsonElement Schema(JsonElement document, JsonElement reference) =>
        document.Field("components").Field("schemas").Field(reference.Text("$ref")!["#/components/schemas/".Length..]);
}
