using Governance.Runtime.Hosting;
using Governance.Runtime.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Governance.Runtime.Tests.Streams;

/// <summary>A started memory runtime whose <see cref="StreamProbeGrain"/>s subscribe to one stream namespace.</summary>
internal static class StreamProbeHost
{
    public static async Task<IHost> StartAsync(string streamNamespace, Action<StreamOptions> configure, ILoggerProvider? logs = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        }

        builder.Services.AddGrainRuntime()
            .AddGrain<IStreamProbeGrain, StreamProbeGrain>()
            .AddStreamSubscription<IStreamProbeGrain>(streamNamespace)
            .UseMemoryStorage();
        builder.Services.Configure(configure);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
