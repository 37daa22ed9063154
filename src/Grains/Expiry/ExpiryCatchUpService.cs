using Governance.Grains.Listing;
using Governance.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Governance.Grains.Expiry;

/// <summary>
/// Every silo's expiry catch-up (DESIGN §4, "Expiry"). Orleans skips reminder ticks that came due
/// while no silo held the reminder, and a reminder is set only after its approval's state committed,
/// so once a second this asks the stored state (its <c>deadline</c> index of live approvals) for
/// approvals past their expiry and tells each model grain in this silo's part of the ring to expire
/// (idempotent). Calls from here come from a grain service, which the caller filter treats as the
/// cluster itself.
/// </summary>
public sealed class ExpiryCatchUpService : GrainService, IExpiryCatchUpService
{
    private readonly IGrainFactory _grains;
    private readonly IGrainStateListing _states;
    private readonly TimeProvider _clock;
    private readonly ExpiryCatchUpOptions _options;
    private readonly ILogger<ExpiryCatchUpService> _logger;

    public ExpiryCatchUpService(
        GrainId id, Silo silo, ILoggerFactory loggerFactory, IGrainFactory grains, IGrainStateListing states,
        [FromKeyedServices(GovernanceClock.ServiceKey)] TimeProvider clock, IOptions<ExpiryCatchUpOptions> options)
        : base(id, silo, loggerFactory)
    {
        _grains = grains;
        _states = states;
        _clock = clock;
        _options = options.Value;
        _logger = loggerFactory.CreateLogger<ExpiryCatchUpService>();
    }

    protected override async Task StartInBackground()
    {
        await base.StartInBackground();
        _ = RunAsync(StoppedCancellationTokenSource.Token);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        // Real time between rounds; the domain clock says what is due.
        using var timer = new PeriodicTimer(_options.Interval);
        var failing = false;
        while (await WaitAsync(timer, stopping))
        {
            try
            {
                await CatchUpAsync(stopping);
                failing = false;
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                if (!failing)
                {
                    GrainsLog.ExpiryCatchUpFailed(_logger, exception);
                }

                failing = true;
            }
        }
    }

    private async Task CatchUpAsync(CancellationToken stopping)
    {
        string? after = null;
        var told = 0;
        while (!stopping.IsCancellationRequested)
        {
            var due = await _states.ListAsync(
                new GrainListingQuery(ListingGrain.ModelGrainType, null, _clock.GetUtcNow(), after, _options.BatchSize), stopping);
            var mine = due
                .Select(row => _grains.GetGrain<IModelGovernanceGrain>(row.Key))
                .Where(model => RingRange.InRange(model.GetGrainId()))
                .ToList();
            await Task.WhenAll(mine.Select(model => model.ExpireIfDue()));
            told += mine.Count;
            if (due.Count < _options.BatchSize)
            {
                break;
            }

            after = due[^1].Key;
        }

        if (told > 0)
        {
            GrainsLog.ExpiryCatchUpExpired(_logger, told);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
