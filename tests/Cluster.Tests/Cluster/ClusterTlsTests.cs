using System.Net;
using Governance.Client;
using Governance.Cluster.Tests.Infrastructure;
using Governance.Silo;

namespace Governance.Cluster.Tests.Cluster;

/// <summary>TLS on the cluster ports (DESIGN §7), and the refusal to run in the clear on a real network.</summary>
[Trait("Category", "Integration"), Collection(SiloClusterCollection.Name)]
public sealed class ClusterTlsTests
{
    [Fact]
    public async Task Silos_and_clients_with_the_cluster_certificate_talk_TLS_and_a_client_without_it_gets_nowhere()
    {
        using var certificate = ClusterCertificate.Create();
        await using var cluster = await SiloCluster.StartAsync("cluster_tests_tls", 2, silo =>
        {
            foreach (var (key, value) in certificate.Settings)
            {
                silo.Settings[key] = value;
            }
        });

        // Models made through one silo answer through the other: the silos reach each other over TLS.
        var flow = new Workflow(cluster.Silos[0]);
        var models = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var modelId = Workflow.NewModelId();
            await flow.TrainAsync(modelId);
            models.Add(modelId);
        }

        foreach (var modelId in models)
        {
            (await cluster.Silos[1].As(DevTokens.Auditor).GetAsync($"/v1/models/{modelId}")).AssertStatus(HttpStatusCode.OK);
        }

        var withCertificate = new Dictionary<string, string?>(certificate.Settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        await using (var client = await ClientHost.StartAsync(cluster.Silos[1], DevTokens.Auditor, withCertificate))
        {
            Assert.Equal(models[0], (await client.Client.GetModelAsync(models[0])).ModelId);
        }

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var plain = await ClientHost.StartAsync(
                cluster.Silos[1], DevTokens.Auditor, new Dictionary<string, string?> { ["Governance:Client:ConnectTimeout"] = "00:00:05" });
            await plain.Client.GetModelAsync(models[0]);
        });
    }

    [Fact]
    public async Task Outside_Development_a_silo_on_a_network_address_refuses_to_start_without_TLS()
    {
        await using var silo = new SiloProcess(TestDatabase.ConnectionStringFor("cluster_tests_tls_refused"));
        silo.Arguments.Add("--environment");
        silo.Arguments.Add("Production");
        // Never bound: the silo refuses before it listens anywhere.
        silo.Settings["Orleans:Endpoints:AdvertisedIPAddress"] = "192.0.2.10";
        var exitCode = await silo.RunToExitAsync();
        Assert.NotEqual(0, exitCode);
        Assert.Contains("Orleans:Tls:Required=false", silo.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "192.0.2.10", null, true, false)]
    [InlineData(true, "192.0.2.10", null, true, true)]
    [InlineData(false, "127.0.0.1", null, true, true)]
    [InlineData(false, "192.0.2.10", "/etc/cluster.pfx", true, true)]
    [InlineData(false, "192.0.2.10", null, false, true)]
    public void The_transport_rule(bool development, string advertised, string? certificatePath, bool required, bool allowed)
    {
        var tls = new ClusterTlsOptions { CertificatePath = certificatePath, Required = required };
        var check = () => ClusterTransportPolicy.Check(development, IPAddress.Parse(advertised), tls);
        if (allowed)
        {
            check();
        }
        else
        {
            Assert.Contains("Orleans:Tls", Assert.Throws<InvalidOperationException>(check).Message, StringComparison.Ordinal);
        }
    }
}
