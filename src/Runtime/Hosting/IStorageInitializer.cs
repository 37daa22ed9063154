namespace Governance.Runtime.Hosting;

/// <summary>Prepares a store (for example applies migrations) before the runtime serves calls.</summary>
public interface IStorageInitializer
{
    Task InitializeAsync(CancellationToken cancellationToken);
}
