using Microsoft.Extensions.DependencyInjection;
using Governance.Storage.Tests.Postgres;
using Npgsql;
using Xunit.Abstractions;

namespace Governance.Storage.Tests.Orleans;

/// <summary>Orleans' ADO.NET membership on our schema, end to end: silos, a client, a departure, cleanup.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OrleansClusteringTests(PostgresFixture fixture, ITestOutputHelper output)
{
    private const int Active = 3;
    private const int Dead = 6;

    [Fact]
    public async Task Two_silos_form_a_cluster_serve_a_client_and_carry_on_when_one_leaves()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var cluster = OrleansTestCluster.On(dataSource, fixture.ConnectionString);

        await using var first = await OrleansTestHost.StartSiloAsync("silo-a", cluster, output);
        await using var second = await OrleansTestHost.StartSiloAsync("silo-b", cluster, output);

        // Both silos are Active in the table (of this class's schema: the search path reached Orleans' SQL) ...
        var rows = await MembershipAsync(dataSource, cluster.ClusterId);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(Active, r.Status));
        Assert.Equal(new[] { first.SiloPort, second.SiloPort }.Order(), rows.Select(r => r.Port));
        Assert.All(rows, r => Assert.Equal("127.0.0.1", r.Address));
        // ... and to each other.
        await Eventually(async () =>
        {
            var hosts = await first.GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
            return hosts.Count == 2;
        }, TimeSpan.FromSeconds(20), "both silos active in IManagementGrain.GetHosts");

        // Grain calls work, and the grains spread over both silos (once placement on the first silo has
        // heard of the second: membership can be ahead of it by a moment).
        var homes = new HashSet<string>(StringComparer.Ordinal);
        var next = 0;
        await Eventually(async () =>
        {
            for (var i = 0; i < 40; i++, next++)
            {
                var key = $"echo-{next}";
                Assert.Equal($"{key}:hi", await first.GrainFactory.GetGrain<IEchoGrain>(key).Echo("hi"));
                homes.Add(await first.GrainFactory.GetGrain<IEchoGrain>(key).SiloAddress());
            }

            return homes.Count == 2;
        }, TimeSpan.FromSeconds(20), "new grains placed on both silos");

        Assert.Equal(new HashSet<string>([first.SiloAddress, second.SiloAddress], StringComparer.Ordinal), homes);

        // A client finds the gateways through the ADO.NET gateway list.
        await using var client = await OrleansTestHost.StartClientAsync("client", cluster, output);
        Assert.Equal("c:hello", await client.GrainFactory.GetGrain<IEchoGrain>("c").Echo("hello"));

        // One silo leaves: it is marked dead, the other keeps answering, also for the client.
        await second.StopAsync();
        var departed = (await MembershipAsync(dataSource, cluster.ClusterId)).Single(r => r.Port == second.SiloPort);
        Assert.Equal(Dead, departed.Status);
        await Eventually(async () =>
        {
            var hosts = await first.GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
            return hosts.Count == 1;
        }, TimeSpan.FromSeconds(20), "only the first silo active");

        foreach (var key in Enumerable.Range(0, next).Select(i => $"echo-{i}"))
        {
            Assert.Equal(first.SiloAddress, await first.GrainFactory.GetGrain<IEchoGrain>(key).SiloAddress());
        }

        await Eventually(async () =>
        {
            try
            {
                return await client.GrainFactory.GetGrain<IEchoGrain>("c2").Echo("again") == "c2:again";
            }
            catch (Exception exception) when (exception is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "the client answered by the remaining silo");

        // Orleans' cleanup of defunct silo entries runs against our queries and removes the dead row only.
        var table = first.Services.GetRequiredService<IMembershipTable>();
        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None);
        var remaining = Assert.Single(await MembershipAsync(dataSource, cluster.ClusterId));
        Assert.Equal(first.SiloPort, remaining.Port);
        Assert.Equal(Active, remaining.Status);

        // The table as Orleans reads it agrees.
        var data = await table.ReadAllAsync(CancellationToken.None);
        var member = Assert.Single(data.Members);
        Assert.Equal(SiloStatus.Active, member.Item1.Status);
        Assert.Equal("silo-a", member.Item1.SiloName);
    }

    private static async Task Eventually(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds} s waiting for: {what}");
            }

            await Task.Delay(200);
        }
    }

    private static async Task<List<(string Address, int Port, int Status)>> MembershipAsync(NpgsqlDataSource dataSource, string clusterId)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT address, port, status FROM orleans_membership WHERE deployment_id = $1 ORDER BY port");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clusterId });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, int, int)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2)));
        }

        return rows;
    }
}
