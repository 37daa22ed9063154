using Governance.Runtime.Hosting;
using Governance.Runtime.Storage;
using Governance.Runtime.Tests.Activation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Governance.Runtime.Tests.Postgres;

/// <summary>A database outage refuses writes without losing or half-applying any, and the silo recovers.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresOutageTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Writes_fail_as_unavailable_during_an_outage_and_succeed_again_when_the_database_returns()
    {
        var schema = await fixture.SchemaForAsync(GetType());
        var target = new NpgsqlConnectionStringBuilder(fixture.ConnectionString);
        await using var proxy = new TcpProxy(target.Host!, target.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(schema.ConnectionString)
        {
            Host = "127.0.0.1",
            Port = proxy.Port,
            Timeout = 2,
            CommandTimeout = 5,
        }.ConnectionString;

        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddGrainRuntime().AddGrain<ICounterGrain, CounterGrain>().UsePostgresStorage(viaProxy, migrate: false);
        using var host = builder.Build();
        await host.StartAsync();
        var grain = host.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>($"outage-{Guid.NewGuid():N}");
        Assert.Equal(1, await grain.Increment());

        proxy.Cut();
        await Assert.ThrowsAsync<StorageUnavailableException>(() => grain.Increment());
        await Assert.ThrowsAsync<StorageUnavailableException>(() => grain.Increment());

        proxy.Restore();
        Assert.Equal(2, await grain.Increment());
        Assert.Equal(3, await grain.Increment());
        Assert.Equal(3, await grain.Peek());
        await host.StopAsync();
    }
}
