using Microsoft.Extensions.Hosting;

namespace Governance.Grains.Policy;

/// <summary>Loads the policy profiles when the silo starts, so an invalid file stops it before it serves.</summary>
internal sealed class PolicyCatalogStartupCheck(IPolicyCatalog catalog) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = catalog.Find(BuiltInPolicyCatalog.DefaultProfile);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
