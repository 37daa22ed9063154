using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Governance.Runtime.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Governance.Runtime.Activation;

/// <summary>
/// The activations of this silo: at most one per grain id. Creates them on first call and removes
/// the idle ones, and the least recently used ones when there are more than the cap.
/// </summary>
internal sealed class GrainCatalog(
    IServiceProvider services,
    GrainRegistry registry,
    IGrainStorage storage,
    TimeProvider time,
    IOptions<GrainCollectionOptions> options,
    IMeterFactory meters,
    ILogger<GrainCatalog> logger)
{
    private readonly ConcurrentDictionary<GrainId, GrainActivation> _activations = new();
    private readonly ConcurrentDictionary<Type, ObjectFactory> _factories = new();
    private int _collecting;

    public int Count => _activations.Count;

    /// <summary>
    /// Publishes the live activation count on a meter owned by the service provider, so the gauge
    /// (and this catalog) go away with it.
    /// </summary>
    public void ObserveActivations() =>
        meters.Create(RuntimeMetrics.MeterName).CreateObservableGauge(
            "governance_runtime_live_activations", () => _activations.Count, description: "Grain activations currently in memory.");

    public GrainActivation GetOrCreate(GrainId id)
    {
        if (_activations.TryGetValue(id, out var existing))
        {
            return existing;
        }

        var activation = _activations.GetOrAdd(id, static key =>
        {
            RuntimeMetrics.Activations.Add(1);
            return new GrainActivation(key);
        });
        if (_activations.Count > options.Value.MaxActivations)
        {
            _ = Task.Run(() => CollectAsync(CancellationToken.None));
        }

        return activation;
    }

    public void Touch(GrainActivation activation) => activation.Touch(time.GetTimestamp());

    public Task<object> EnsureLoadedAsync(GrainActivation activation, CancellationToken cancellationToken) =>
        activation.EnsureLoadedAsync(CreateGrain, storage, cancellationToken);

    /// <summary>Deactivates idle activations, then the least recently used beyond the cap.</summary>
    public Task<int> CollectAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _collecting, 1) == 1)
        {
            return Task.FromResult(0);
        }

        try
        {
            var settings = options.Value;
            var now = time.GetTimestamp();
            var idle = _activations.Values
                .Where(a => time.GetElapsedTime(a.LastUsed, now) >= settings.IdleTimeout)
                .ToList();
            var collected = idle.Count(TryDeactivate);

            var excess = _activations.Count - settings.MaxActivations;
            if (excess > 0)
            {
                var target = excess + (settings.MaxActivations / 10);
                // Those holding unsaved state stay (see TryDeactivate): picking them would collect nothing.
                var oldest = _activations.Values.Where(a => !a.HoldsUnsavedState).OrderBy(a => a.LastUsed).Take(target).ToList();
                collected += oldest.Count(TryDeactivate);
            }

            if (collected > 0)
            {
                RuntimeMetrics.Deactivations.Add(collected);
                RuntimeLog.ActivationsCollected(logger, collected, _activations.Count);
            }

            return Task.FromResult(collected);
        }
        finally
        {
            Volatile.Write(ref _collecting, 0);
        }
    }

    /// <summary>
    /// Inside the activation's turn: drops it at once when its grain holds nothing (no stored state, no
    /// unsaved state), so an unknown id asked about keeps no memory. Callers waiting for the turn move
    /// on to a new activation.
    /// </summary>
    public void ReleaseIfEmpty(GrainActivation activation)
    {
        if (activation.HoldsNothing && !activation.IsDeactivated)
        {
            activation.MarkDeactivated();
            if (_activations.TryRemove(new KeyValuePair<GrainId, GrainActivation>(activation.Id, activation)))
            {
                RuntimeMetrics.Deactivations.Add(1);
            }
        }
    }

    private bool TryDeactivate(GrainActivation activation)
    {
        // A busy activation is in use: it is not idle, whatever its timestamp says.
        if (!activation.TryEnterTurn())
        {
            return false;
        }

        try
        {
            // Collecting it would drop state nothing else holds; it is saved soon (a stream checkpoint).
            if (activation.HoldsUnsavedState)
            {
                return false;
            }

            activation.MarkDeactivated();
            return _activations.TryRemove(new KeyValuePair<GrainId, GrainActivation>(activation.Id, activation));
        }
        finally
        {
            activation.ExitTurn();
        }
    }

    private object CreateGrain(GrainId id)
    {
        var grainClass = registry.ForTypeName(id.Type).GrainClass;
        var factory = _factories.GetOrAdd(grainClass, static type => ActivatorUtilities.CreateFactory(type, Type.EmptyTypes));
        return factory(services, null);
    }
}
