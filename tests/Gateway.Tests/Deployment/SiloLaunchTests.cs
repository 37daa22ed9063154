using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Governance.Gateway.Tests.Deployment;

/// <summary>The README's first command, `dotnet run --project src/Silo`, as a user runs it, behind the real web server.</summary>
[Trait("Category", "Integration")]
public sealed class SiloLaunchTests(LaunchedSilo silo) : IClassFixture<LaunchedSilo>
{
    [Fact]
    public void Row14_dotnet_run_listens_where_ASPNETCORE_URLS_says()
    {
        Assert.True(silo.Listening, $"no 200 from /health/live on ASPNETCORE_URLS port {silo.Port}:\n{silo.Output}");
    }

    [Fact]
    public async Task Row12_what_reaches_the_application_is_problem_json_and_what_kestrel_refuses_itself_is_as_documented()
    {
        Assert.True(silo.Listening, $"the silo did not start:\n{silo.Output}");
        using var http = new HttpClient { BaseAddress = silo.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "dev-registry-token");

        // Long, but within the request line limit: the application answers, naming the field.
        var longId = await http.GetAsync(new Uri($"/v1/models/{new string('m', 7000)}/verify?environment=production", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, longId.StatusCode);
        Assert.Equal("application/problem+json", longId.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await longId.Content.ReadAsStringAsync());
        Assert.Equal("model_id", problem.RootElement.GetProperty("field").GetString());

        // README "Errors": the web server's own answers, before any middleware runs.
        Assert.Equal(HttpStatusCode.RequestUriTooLong, (await http.GetAsync(new Uri($"/v1/models/{new string('m', 10_000)}/verify", UriKind.Relative))).StatusCode);
        using var bigHeader = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        bigHeader.Headers.Add("X-Big", new string('a', 100_000));
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, (await http.SendAsync(bigHeader)).StatusCode);
        var nul = await http.GetAsync(new Uri("/v1/models/a%00b/verify?environment=production", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        Assert.Equal("", await nul.Content.ReadAsStringAsync());
    }
}
