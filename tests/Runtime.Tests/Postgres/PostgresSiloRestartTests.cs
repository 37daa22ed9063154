using System.Text.Json;
using Governance.Runtime.Hosting;
using Governance.Runtime.Reminders;
using Governance.Runtime.Tests.Activation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Governance.Runtime.Tests.Postgres;

/// <summary>Durable reminders outlive the silo that registered them.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresSiloRestartTests(PostgresFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_reminder_registered_before_a_restart_fires_in_the_next_silo()
    {
        var dataSource = await fixture.SchemaForAsync(GetType());
        var key = $"restart-{Guid.NewGuid():N}";

        using (var first = await StartSiloAsync(dataSource))
        {
            var grain = first.Services.GetRequiredService<IGrainFactory>().GetGrain<ICounterGrain>(key);
            await grain.Remind("wake", DateTimeOffset.UtcNow.AddSeconds(2), period: null);
            await first.StopAsync();
        }

        Assert.Equal(0, (await ReadStateAsync(dataSource, key))?.Reminders);

        using var second = await StartSiloAsync(dataSource);
        var deadline = DateTime.UtcNow + Timeout;
        while ((await ReadStateAsync(dataSource, key))?.Reminders != 1)
        {
            Assert.True(DateTime.UtcNow < deadline, $"counter/{key}: the reminder did not fire in the restarted silo within {Timeout}");
            await Task.Delay(50);
        }

        await second.StopAsync();
    }

    private static async Task<IHost> StartSiloAsync(NpgsqlDataSource dataSource)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(dataSource);
        builder.Services.AddGrainRuntime()
            .AddGrain<ICounterGrain, CounterGrain>()
            .UsePostgresStorage(dataSource.ConnectionString, migrate: false);
        builder.Services.Configure<ReminderOptions>(o => o.PollInterval = TimeSpan.FromMilliseconds(100));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<CounterState?> ReadStateAsync(NpgsqlDataSource dataSource, string key)
    {
        await using var command = dataSource.CreateCommand("SELECT state::text FROM grain_state WHERE grain_type = 'counter' AND grain_key = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        return await command.ExecuteScalarAsync() is string json
            ? JsonSerializer.Deserialize(json, CounterJsonContext.Default.CounterState)
            : null;
    }
}
