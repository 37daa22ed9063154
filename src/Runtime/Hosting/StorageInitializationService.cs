using Microsoft.Extensions.Hosting;

namespace Governance.Runtime.Hosting;

/// <summary>Runs every <see cref="IStorageInitializer"/> at start, before reminders and the server start.</summary>
internal sealed class StorageInitializationService(IEnumerable<IStorageInitializer> initializers) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var initializer in initializers)
        {
            await initializer.InitializeAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
