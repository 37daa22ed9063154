using Governance.Runtime.Activation;
using Governance.Runtime.Hosting;
using Governance.Runtime.Memory;
using Governance.Runtime.Reminders;
using Governance.Runtime.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Governance.Runtime.Tests.Activation;

/// <summary>A memory-backed runtime without hosted services: tests drive collection and reminders.</summary>
public sealed class RuntimeHarness : IDisposable
{
    private readonly ServiceProvider _services;

    public RuntimeHarness(Action<GrainCollectionOptions>? collection = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddGrainRuntime().AddGrain<ICounterGrain, CounterGrain>().AddGrain<INoteGrain, NoteGrain>();
        services.Configure(collection ?? (_ => { }));
        _services = services.BuildServiceProvider();
    }

    public ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public IGrainFactory Grains => _services.GetRequiredService<IGrainFactory>();

    public MemoryStore Store => _services.GetRequiredService<MemoryStore>();

    internal GrainCatalog Catalog => _services.GetRequiredService<GrainCatalog>();

    internal ReminderService Reminders => _services.GetRequiredService<ReminderService>();

    public void Dispose() => _services.Dispose();
}
