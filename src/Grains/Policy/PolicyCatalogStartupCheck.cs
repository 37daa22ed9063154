using Microsoft.Extensions.Hosting;

namespace Governance.Grains.Policy;

/// <summary>
/// Loads the policy profiles when the silo starts, so an invalid file stops it before it serves.
/// The load (schema parsing and validation, a few hundred milliseconds of CPU) begins as the host
/// starts and runs beside Orleans' start; the host awaits it before the gateway listens.
/// </summary>
internal sealed class PolicyCatalogStartupCheck(IPolicyCatalog catalog) : IHostedLifecycleService
{
    private Task _load = Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        _load = Task.Run(() => catalog.Find(BuiltInPolicyCatalog.DefaultProfile), cancellationToken);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => _load;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
