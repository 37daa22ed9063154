using System.Net;
using Governance.Gateway.Tests.Infrastructure;

namespace Governance.Gateway.Tests;

/// <summary>The unauthenticated endpoints of DESIGN §6: probes, Prometheus metrics, the OpenAPI document.</summary>
[Trait("Category", "Integration")]
public sealed class ProbeTests(SiloFixture<ProbeTests> silo) : IClassFixture<SiloFixture<ProbeTests>>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task The_probes_answer_ok_without_a_token(string path)
    {
        (await silo.As(null).GetAsync(path)).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_routes()
    {
        var document = (await silo.As(null).GetAsync("/openapi/v1.json")).AssertStatus(HttpStatusCode.OK);

        var paths = document["paths"].EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("/v1/models/{id}/training", paths);
        Assert.Contains("/v1/verify", paths);
        Assert.Contains("/v1/approvers/{principal}/keys/{keyId}", paths);
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_without_a_token()
    {
        var metrics = (await silo.As(null).GetAsync("/metrics")).AssertStatus(HttpStatusCode.OK);

        Assert.Equal("text/plain", metrics.MediaType);
        Assert.Contains("# TYPE", metrics.Body, StringComparison.Ordinal);
    }
}
