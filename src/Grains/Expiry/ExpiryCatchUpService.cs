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

    // Completed to start a round before the interval is up (a dead silo's part of the ring came to this one).
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task StartInBackground()
    {
        await base.StartInBackground();
        _ = RunAsync(StoppedCancellationTokenSource.Token);
    }

    /// <summary>
    /// When this silo's part of the ring grows (a silo left or died), reminders of the added part that came due
    /// meanwhile are skipped by Orleans, and the grains the dead silo held can be activated again: look at once.
    /// </summary>
    public override async Task OnRangeChange(IRingRange oldRange, IRingRange newRange, bool increased)
    {
        await base.OnRangeChange(oldRange, newRange, increased);
        if (increased)
        {
            Volatile.Read(ref _wake).TrySetResult();
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        // Real time between rounds; the domain clock says what is due.
        var firstRetry = Shorter(_options.RetryInterval, _options.Interval);
        var delay = _options.Interval;
        var retry = firstRetry;
        var failing = false;
        while (true)
        {
            var woken = await WaitAsync(delay, stopping);
            if (stopping.IsCancellationRequested)
            {
                return;
            }

            if (woken)
            {
                // The ring changed: models that failed may now be activated elsewhere, so retry quickly again.
                retry = firstRetry;
            }

            delay = _options.Interval;
            try
            {
                var (told, failed, error) = await CatchUpAsync(stopping);
                if (failed > 0)
                {
                    // Most likely models whose silo died and is not yet declared dead: their calls fail until it
                    // is, and then they can be activated elsewhere. Try them again soon, not a whole interval later,
                    // doubling the wait while they keep failing so that a long outage costs no more rounds than usual.
                    delay = retry;
                    retry = Shorter(retry * 2, _options.Interval);
                    if (!failing)
                    {
                        GrainsLog.ExpiryCatchUpModelsFailed(_logger, error, failed, told, delay);
                    }
                }
                else
                {
                    retry = firstRetry;
                }

                failing = failed > 0;
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

    /// <summary>
    /// One round: every due approval of this silo's part of the ring is told, each on its own, so a model that cannot be
    /// reached now does not hold up the others. Returns how many were told, how many of them failed, and the first error.
    /// </summary>
    private async Task<(int Told, int Failed, Exception? Error)> CatchUpAsync(CancellationToken stopping)
    {
        string? after = null;
        var told = 0;
        var failed = 0;
        Exception? error = null;
        while (!stopping.IsCancellationRequested)
        {
            var due = await _states.ListAsync(
                new GrainListingQuery(ListingGrain.ModelGrainType, null, _clock.GetUtcNow(), after, _options.BatchSize), stopping);
            var mine = due
                .Select(row => _grains.GetGrain<IModelGovernanceGrain>(row.Key))
                .Where(model => RingRange.InRange(model.GetGrainId()))
                .Select(model => model.ExpireIfDue())
                .ToList();
            // Each model's failure is counted below; the model is told again in the next round.
            await Task.WhenAll(mine).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            told += mine.Count;
            foreach (var call in mine.Where(call => call.IsFaulted || call.IsCanceled))
            {
                failed++;
                error ??= call.Exception?.InnerException ?? new TaskCanceledException(call);
            }

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

        return (told, failed, error);
    }

    private static TimeSpan Shorter(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Waits <paramref name="delay"/>, or less when woken; true when woken.</summary>
    private async Task<bool> WaitAsync(TimeSpan delay, CancellationToken stopping)
    {
        // A fresh signal for this wait; a wake-up that came during the round just ended starts the next one at once.
        // The continuation stays on the grain service's scheduler (its calls go out as the service's).
        var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.Exchange(ref _wake, fresh).Task.IsCompleted)
        {
            return true;
        }

        await fresh.Task.WaitAsync(delay, stopping)
            .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        return fresh.Task.IsCompleted;
    }
}
