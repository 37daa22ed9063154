using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests;

/// <summary>
/// Malformed input is answered with problem+json naming the field, never with a 500 (DESIGN §6):
/// bodies, paths, tokens, roles, query parameters, sizes.
/// </summary>
[Trait("Category", "Integration")]
public sealed class BadInputTests(SiloFixture<BadInputTests> silo) : IClassFixture<SiloFixture<BadInputTests>>
{
    private const string Hash = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string ValidTraining = $$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":0.9},"card":{"name":"m"}}""";

    private readonly Workflow _flow = new(silo);

    [Theory]
    [InlineData("""{"weights_hash":""", null)]
    [InlineData("""{"weights_hash":"x",}""", null)]
    [InlineData("", "body")]
    [InlineData("null", "body")]
    [InlineData("[]", "body")]
    [InlineData("\"text\"", "body")]
    [InlineData($$$"""{"weights_hash":42,"metrics":{"accuracy":0.9},"card":{}}""", "weights_hash")]
    [InlineData($$$"""{"weights_hash":"{{{Hash}}}","metrics":[0.9],"card":{}}""", "metrics")]
    [InlineData($$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":"0.9"},"card":{}}""", "metrics.accuracy")]
    [InlineData($$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":0.9},"card":{},"extra":1}""", "extra")]
    [InlineData($$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":0.9},"card":{},"correlation_id":7}""", "correlation_id")]
    [InlineData($$$"""{"metrics":{"accuracy":0.9},"card":{}}""", "weights_hash")]
    [InlineData($$$"""{"weights_hash":"sha256:0123","metrics":{"accuracy":0.9},"card":{}}""", "weights_hash")]
    [InlineData($$$"""{"weights_hash":"SHA256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","metrics":{},"card":{}}""", "weights_hash")]
    [InlineData($$$"""{"weights_hash":"sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef","metrics":{},"card":{}}""", "weights_hash")]
    [InlineData($$$"""{"weights_hash":"md5:0123456789abcdef0123456789abcdef","metrics":{},"card":{}}""", "weights_hash")]
    [InlineData($$$"""{"weights_hash":"{{{Hash}}}","card":{}}""", "metrics")]
    [InlineData($$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":NaN},"card":{}}""", "metrics.accuracy")]
    [InlineData($$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":"NaN"},"card":{}}""", "metrics.accuracy")]
    [InlineData($$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":Infinity},"card":{}}""", "metrics.accuracy")]
    [InlineData($$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":"-Infinity"},"card":{}}""", "metrics.accuracy")]
    [InlineData($$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":1e999},"card":{}}""", "metrics.accuracy")]
    [InlineData($$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":0.9}}""", "card")]
    [InlineData($$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":0.9},"card":null}""", "card")]
    [InlineData($$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":0.9},"card":[1,2]}""", "card")]
    [InlineData($$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":0.9},"card":"a card"}""", "card")]
    [InlineData($$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":0.9},"card":{},"metadata":3}""", "metadata")]
    public async Task A_malformed_training_output_is_invalid_request_naming_the_field(string body, string? field)
    {
        (await silo.As(DevTokens.Trainer).PostRawAsync($"/v1/models/{Workflow.NewModelId()}/training", body))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", field);
    }

    [Theory]
    [InlineData("card", "{\"name\":\"a\u00ffb\"}", "card.name")]
    [InlineData("card", "{\"name\":\"a\u00c0\u00afb\"}", "card.name")]
    [InlineData("card", "{\"name\":\"\\udc00\"}", "card.name")]
    [InlineData("card", "{\"\\udc00\":1}", "card")]
    [InlineData("card", "{\"\u00ff\":1}", "card")]
    [InlineData("metadata", "{\"run\":{\"note\":\"\\ud800x\"}}", "metadata.run.note")]
    [InlineData("metadata", "{\"tags\":[\"ok\",\"\u00ed\u00a0\u0080\"]}", "metadata.tags[1]")]
    public async Task Row3_a_card_or_metadata_with_invalid_unicode_is_invalid_request_naming_it(string member, string value, string field)
    {
        // The value is Latin-1 text standing for raw bytes, so that invalid UTF-8 reaches the server as it is.
        var card = member == "card" ? value : """{"name":"m"}""";
        var metadata = member == "metadata" ? $$""","metadata":{{value}}""" : "";
        var body = System.Text.Encoding.Latin1.GetBytes(
            $$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":0.9},"card":{{{card}}}{{{metadata}}}}""");

        (await PostBytesAsync($"/v1/models/{Workflow.NewModelId()}/training", body))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", field);
    }

    [Theory]
    [InlineData(63, false)]
    [InlineData(32, false)]
    [InlineData(31, true)]
    public async Task Row3_a_card_nested_as_deep_as_the_api_accepts_is_stored_and_deeper_is_invalid_request(int levels, bool accepted)
    {
        var modelId = Workflow.NewModelId();
        var card = string.Concat(Enumerable.Repeat("""{"a":""", levels - 1)) + "{}" + new string('}', levels - 1);
        var response = await silo.As(DevTokens.Trainer).PostRawAsync(
            $"/v1/models/{modelId}/training", $$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":0.9},"card":{{{card}}}}""");

        if (!accepted)
        {
            response.AssertProblem(HttpStatusCode.BadRequest, "invalid_request", "card");
            return;
        }

        response.AssertStatus(HttpStatusCode.Created);
        var model = (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}")).AssertStatus(HttpStatusCode.OK);
        var stored = model.Json.Field("training").Field("card");
        var depth = 1;
        while (stored.TryGetProperty("a", out var inner))
        {
            stored = inner;
            depth++;
        }

        Assert.Equal(levels, depth);
    }

    [Theory]
    [InlineData($$$"""{"weights_hash":"sha256:bad","weights_hash":"{{{Hash}}}","metrics":{"accuracy":0.9},"card":{}}""", "weights_hash")]
    [InlineData($$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":0.9,"accuracy":0.1},"card":{}}""", "metrics.accuracy")]
    [InlineData($$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":0.9},"card":{"a":1,"a":2}}""", "card.a")]
    [InlineData($$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":0.9},"card":{"a":1,"\u0061":2}}""", "card.a")]
    [InlineData($$$$"""{"weights_hash":"{{{{Hash}}}}","metrics":{"accuracy":0.9},"card":{"x":{"y":[1e999]}}}""", "card.x.y[0]")]
    [InlineData($$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":0.9},"card":{"x":-1e400}}""", "card.x")]
    [InlineData($$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":0.9},"card":{},"metadata":{"n":[{"k":1,"k":1}]}}""", "metadata.n[0].k")]
    public async Task Row15_duplicate_keys_and_out_of_range_numbers_anywhere_in_a_body_are_invalid_request(string body, string field)
    {
        (await silo.As(DevTokens.Trainer).PostRawAsync($"/v1/models/{Workflow.NewModelId()}/training", body))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", field);
    }

    [Theory]
    [InlineData("/v1/verify", DevTokens.Registry, """{"items":[{"model_id":"m-1","environment":"production","environment":"dev"}]}""", "items[0].environment")]
    [InlineData("/v1/verify", DevTokens.Registry, """{"items":[],"items":[{"model_id":"m-1","environment":"production"}]}""", "items")]
    [InlineData("/v1/models/m-1/drift", DevTokens.Monitor, """{"serving_metrics":{"loss":0.2,"loss":0.9}}""", "serving_metrics.loss")]
    [InlineData("/v1/models/m-1/drift", DevTokens.Monitor, """{"serving_metrics":{"loss":0.2},"distribution":{"training":[1,2],"serving":[1e309]}}""", "distribution.serving[0]")]
    [InlineData("/v1/models/m-1/revocation", DevTokens.Alice, """{"reason":"a","reason":"b"}""", "reason")]
    public async Task Row15_duplicate_keys_and_out_of_range_numbers_are_refused_on_every_route(string path, string token, string body, string field)
    {
        (await silo.As(token).PostRawAsync(path, body))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", field);
    }

    [Theory]
    [InlineData("DELETE", "/v1/models/abc", "GET")]
    [InlineData("PATCH", "/v1/models/abc", "GET")]
    [InlineData("OPTIONS", "/v1/models/abc", "GET")]
    [InlineData("TRACE", "/v1/models/abc", "GET")]
    [InlineData("GET", "/v1/models/abc/training", "POST")]
    [InlineData("PUT", "/v1/verify", "POST")]
    [InlineData("GET", "/v1/approvers/alice/keys/k1", "DELETE, PUT")]
    [InlineData("POST", "/v1/approvers/alice/keys/k1", "DELETE, PUT")]
    public async Task Row13_a_method_a_route_does_not_serve_is_405_method_not_allowed_with_allow(string method, string path, string allow)
    {
        var response = (await silo.As(DevTokens.Admin).SendAsync(new HttpMethod(method), path, null))
            .AssertProblem(HttpStatusCode.MethodNotAllowed, "method_not_allowed");

        Assert.True(response.Headers.TryGetValue("Allow", out var header), $"{response}: no Allow header");
        Assert.Equal(allow.Split(", "), header.Split(", ").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_invalid_request()
    {
        (await silo.As(DevTokens.Trainer).PostRawAsync($"/v1/models/{Workflow.NewModelId()}/training", ValidTraining, "text/plain"))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", "body");
    }

    [Theory]
    [InlineData("""{"approved_environments":["production"],"required_approvers":"two"}""", "required_approvers")]
    [InlineData("""{"approved_environments":["production"],"required_approvers":1.5}""", "required_approvers")]
    [InlineData("""{"approved_environments":["production"]}""", "required_approvers")]
    [InlineData("""{"approved_environments":["production"],"required_approvers":0}""", "required_approvers")]
    [InlineData("""{"approved_environments":"production","required_approvers":1}""", "approved_environments")]
    [InlineData("""{"approved_environments":[],"required_approvers":1}""", "approved_environments")]
    [InlineData("""{"approved_environments":["prod uction"],"required_approvers":1}""", "approved_environments")]
    [InlineData("""{"approved_environments":["production"],"approved_scopes":[""],"required_approvers":1}""", "approved_scopes")]
    [InlineData("""{"approved_environments":["production"],"required_approvers":1,"approval_ttl_days":1,"approval_ttl_seconds":60}""", "approval_ttl_days")]
    [InlineData("""{"approved_environments":["production"],"required_approvers":1,"approval_ttl_seconds":0}""", "approval_ttl_seconds")]
    [InlineData("""{"approved_environments":["production"],"required_approvers":1,"approval_ttl_days":-1}""", "approval_ttl_days")]
    [InlineData("""{"approved_environments":["production"],"required_approvers":1,"supersede":"yes"}""", "supersede")]
    [InlineData("""{"approved_environments":["production"],"required_approvers":1,"approvers":2}""", "approvers")]
    public async Task A_malformed_submission_is_invalid_request_naming_the_field(string body, string field)
    {
        var modelId = Workflow.NewModelId();
        await _flow.TrainAsync(modelId);

        (await silo.As(DevTokens.Alice).PostRawAsync($"/v1/models/{modelId}/approval", body))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", field);
    }

    [Theory]
    [InlineData("/deployments", DevTokens.Deployer, """{"approval_id":"a","environment":"production","weights_hash":"sha256:1"}""", "weights_hash")]
    [InlineData("/deployments", DevTokens.Deployer, """{"approval_id":"a","environment":"pro duction","weights_hash":null}""", "environment")]
    [InlineData("/deployments", DevTokens.Deployer, """{"approval_id":"a","environment":"production","scope":5}""", "scope")]
    [InlineData("/revocation", DevTokens.Alice, """{}""", "reason")]
    [InlineData("/revocation", DevTokens.Alice, """{"reason":"  "}""", "reason")]
    [InlineData("/revocation", DevTokens.Alice, """{"reason":"x","why":"y"}""", "why")]
    [InlineData("/approval/signatures", DevTokens.Alice, """{"approval_id":"a","key_id":"k","signature":7}""", "signature")]
    [InlineData("/approval/signatures", DevTokens.Alice, """{"approval_id":"a","key_id":"bad key","signature":"AAAA"}""", "key_id")]
    public async Task Other_malformed_commands_are_invalid_request_naming_the_field(string route, string token, string body, string field)
    {
        var modelId = Workflow.NewModelId();
        await _flow.TrainAsync(modelId);

        (await silo.As(token).PostRawAsync($"/v1/models/{modelId}{route}", body))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", field);
    }

    [Theory]
    [InlineData("%20bad")]
    [InlineData("a%2Fb")]
    [InlineData("caf%C3%A9")]
    [InlineData("_keys:x")]
    [InlineData("_private")]
    [InlineData("129")]
    public async Task An_invalid_model_id_in_the_path_is_invalid_request(string modelId)
    {
        var id = modelId == "129" ? new string('m', 129) : modelId;

        (await silo.As(DevTokens.Trainer).PostRawAsync($"/v1/models/{id}/training", ValidTraining))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", "model_id");
        (await silo.As(DevTokens.Registry).GetAsync($"/v1/models/{id}/verify?environment=production"))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", "model_id");
    }

    [Fact]
    public async Task A_model_id_of_128_characters_is_accepted()
    {
        var modelId = $"Model-v1.2:{Guid.NewGuid():N}-".PadRight(128, 'z');

        (await silo.As(DevTokens.Trainer).PostRawAsync($"/v1/models/{modelId}/training", ValidTraining)).AssertStatus(HttpStatusCode.Created);
        (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_is_payload_too_large()
    {
        var padding = new string('x', (1024 * 1024) + 1);
        using var content = new StringContent(
            $$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":0.9},"card":{"padding":"{{{padding}}}"}}""", Encoding.UTF8, "application/json");

        // Expect: 100-continue lets the server refuse on Content-Length before the body is sent, so the
        // answer cannot race the server closing a connection that still has unread body bytes.
        (await silo.As(DevTokens.Trainer).SendAsync(HttpMethod.Post, $"/v1/models/{Workflow.NewModelId()}/training", content, r => r.Headers.ExpectContinue = true))
            .AssertProblem(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task A_card_over_the_object_limit_is_invalid_request()
    {
        var body = $$$"""{"weights_hash":"{{{Hash}}}","metrics":{"accuracy":0.9},"card":{"padding":"{{{new string('x', 70_000)}}}"}}""";

        (await silo.As(DevTokens.Trainer).PostRawAsync($"/v1/models/{Workflow.NewModelId()}/training", body))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", "card");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-known-token")]
    [InlineData("")]
    public async Task A_missing_or_unknown_token_is_unauthorized(string? token)
    {
        (await silo.As(token).PostRawAsync($"/v1/models/{Workflow.NewModelId()}/training", ValidTraining))
            .AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
        (await silo.As(token).GetAsync($"/v1/models/{Workflow.NewModelId()}/verify?environment=production"))
            .AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task A_non_bearer_authorization_header_is_unauthorized()
    {
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:dev-admin-token")));

        (await silo.WithAuthorization(basic).PostRawAsync("/v1/verify", """{"items":[{"model_id":"m-1","environment":"production"}]}"""))
            .AssertProblem(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData("POST", "/v1/models/{model}/training", DevTokens.Alice, ValidTraining)]
    [InlineData("POST", "/v1/models/{model}/approval", DevTokens.Trainer, """{"approved_environments":["production"],"required_approvers":1}""")]
    [InlineData("POST", "/v1/models/{model}/approval/signatures", DevTokens.Deployer, """{"approval_id":"a","key_id":"k","signature":"AAAA"}""")]
    [InlineData("POST", "/v1/models/{model}/deployments", DevTokens.Alice, """{"approval_id":"a","environment":"production","weights_hash":"sha256:1"}""")]
    [InlineData("POST", "/v1/models/{model}/revocation", DevTokens.Deployer, """{"reason":"r"}""")]
    [InlineData("POST", "/v1/models/{model}/revocation", DevTokens.Auditor, """{"reason":"r"}""")]
    [InlineData("GET", "/v1/models/{model}/evidence", DevTokens.Alice, null)]
    [InlineData("GET", "/v1/models/{model}/evidence/verify", DevTokens.Registry, null)]
    [InlineData("GET", "/v1/models?status=deployed", DevTokens.Deployer, null)]
    [InlineData("PUT", "/v1/approvers/alice/keys/k1", DevTokens.Alice, """{"public_key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}""")]
    [InlineData("DELETE", "/v1/approvers/alice/keys/k1", DevTokens.Auditor, null)]
    public async Task A_principal_without_the_role_is_forbidden(string method, string path, string token, string? body)
    {
        using var content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json");

        (await silo.As(token).SendAsync(new HttpMethod(method), path.Replace("{model}", Workflow.NewModelId(), StringComparison.Ordinal), content))
            .AssertProblem(HttpStatusCode.Forbidden, "forbidden");
    }

    [Theory]
    [InlineData("GET", "/v1/nothing-here")]
    [InlineData("GET", "/v1/models/m-1/unknown")]
    [InlineData("POST", "/v2/models/m-1/training")]
    public async Task An_unknown_route_is_not_found_problem(string method, string path)
    {
        using var content = new StringContent("{}", Encoding.UTF8, "application/json");

        (await silo.As(DevTokens.Admin).SendAsync(new HttpMethod(method), path, method == "POST" ? content : null))
            .AssertProblem(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Getting_an_unknown_model_is_not_found()
    {
        (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{Workflow.NewModelId()}")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        (await silo.As(DevTokens.Auditor).GetAsync($"/v1/models/{Workflow.NewModelId()}/evidence")).AssertProblem(HttpStatusCode.NotFound, "not_found");
        (await silo.As(DevTokens.Registry).GetAsync($"/v1/models/{Workflow.NewModelId()}/approval/document")).AssertProblem(HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("/v1/models/{model}/evidence?limit=0", "limit")]
    [InlineData("/v1/models/{model}/evidence?limit=1001", "limit")]
    [InlineData("/v1/models/{model}/evidence?page_token=x", "page_token")]
    [InlineData("/v1/models/{model}/evidence?page_token=-1", "page_token")]
    [InlineData("/v1/models?limit=0", "limit")]
    [InlineData("/v1/models?status=approved", "status")]
    [InlineData("/v1/models?expiring_within_days=-1", "expiring_within_days")]
    [InlineData("/v1/models?page_token=%20x", "page_token")]
    public async Task Out_of_range_query_parameters_are_invalid_request_naming_the_field(string path, string field)
    {
        var modelId = Workflow.NewModelId();
        await _flow.TrainAsync(modelId);

        (await silo.As(DevTokens.Auditor).GetAsync(path.Replace("{model}", modelId, StringComparison.Ordinal)))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", field);
    }

    [Theory]
    [InlineData("/v1/models/{model}/evidence?limit=abc", "limit")]
    [InlineData("/v1/models?limit=abc", "limit")]
    [InlineData("/v1/models?expiring_within_days=abc", "expiring_within_days")]
    public async Task Unparseable_query_parameters_are_invalid_request_with_a_message_naming_the_parameter(string path, string parameter)
    {
        var modelId = Workflow.NewModelId();
        await _flow.TrainAsync(modelId);

        var response = (await silo.As(DevTokens.Auditor).GetAsync(path.Replace("{model}", modelId, StringComparison.Ordinal)))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request");

        Assert.True(
            response.Json.Text("field") == parameter || response.Json.Text("detail")!.Contains(parameter, StringComparison.Ordinal),
            $"Neither the field nor the detail names the query parameter '{parameter}': {response}");
    }

    [Theory]
    [InlineData("", "environment")]
    [InlineData("environment=", "environment")]
    [InlineData("environment=pro%20d", "environment")]
    [InlineData("environment=production&scope=a%20b", "scope")]
    [InlineData("environment=production&weights_hash=sha256:abc", "weights_hash")]
    public async Task Bad_verify_parameters_are_invalid_request(string query, string field)
    {
        (await silo.As(DevTokens.Registry).GetAsync($"/v1/models/{Workflow.NewModelId()}/verify?{query}"))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", field);
    }

    [Theory]
    [InlineData("""{"items":[]}""", "items")]
    [InlineData("""{}""", "items")]
    [InlineData("""{"items":{}}""", "items")]
    [InlineData("""{"items":[{"model_id":"bad id","environment":"production"}]}""", "items[0].model_id")]
    [InlineData("""{"items":[{"model_id":"m-1","environment":"production"},{"model_id":"m-2"}]}""", "items[1].environment")]
    [InlineData("""{"items":[{"model_id":"m-1","environment":"production","weights_hash":"sha256:1"}]}""", "items[0].weights_hash")]
    [InlineData("""{"items":[{"model_id":"m-1","environment":"production","extra":true}]}""", "items[0].extra")]
    public async Task A_malformed_verify_batch_is_invalid_request(string body, string field)
    {
        (await silo.As(DevTokens.Registry).PostRawAsync("/v1/verify", body))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", field);
    }

    [Theory]
    [InlineData("""{"items":[null]}""", "items[0]")]
    [InlineData("""{"items":[{"model_id":"m-1","environment":"production"},null]}""", "items[1]")]
    public async Task Row4_a_null_verify_batch_item_is_invalid_request_naming_the_item(string body, string field)
    {
        (await silo.As(DevTokens.Registry).PostRawAsync("/v1/verify", body))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", field);
    }

    [Fact]
    public async Task A_verify_batch_over_one_thousand_items_is_invalid_request()
    {
        var items = Enumerable.Range(0, 1001).Select(i => new { model_id = $"m-{i}", environment = "production" }).ToArray();

        (await silo.As(DevTokens.Registry).PostAsync("/v1/verify", new { items }))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", "items");
    }

    [Theory]
    [InlineData("alice", "k1", """{"public_key":"not base64"}""", "public_key")]
    [InlineData("alice", "k1", """{"public_key":"AAAA"}""", "public_key")]
    [InlineData("alice", "k1", """{}""", "public_key")]
    [InlineData("alice", "k1", """{"public_key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","owner":"x"}""", "owner")]
    [InlineData("bad%20principal", "k1", """{"public_key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}""", "principal")]
    [InlineData("alice", "bad%20key", """{"public_key":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}""", "key_id")]
    public async Task A_malformed_key_registration_is_invalid_request(string principal, string keyId, string body, string field)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        (await silo.As(DevTokens.Admin).SendAsync(HttpMethod.Put, $"/v1/approvers/{principal}/keys/{keyId}", content))
            .AssertProblem(HttpStatusCode.BadRequest, "invalid_request", field);
    }

    [Fact]
    public async Task Revoking_an_unregistered_key_is_not_found()
    {
        (await silo.As(DevTokens.Admin).DeleteAsync($"/v1/approvers/alice/keys/k-{Guid.NewGuid():N}"))
            .AssertProblem(HttpStatusCode.NotFound, "not_found", "key_id");
    }

    private Task<ApiResponse> PostBytesAsync(string path, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return silo.As(DevTokens.Trainer).SendAsync(HttpMethod.Post, path, content);
    }
}
