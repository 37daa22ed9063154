using System.Text.Json;
using Governance.Crypto;
using Governance.Grains.Keys;
using Governance.Grains.Wire;
using Governance.Runtime;
using Governance.Runtime.Hosting;
using Governance.Runtime.Memory;
using Governance.Runtime.Reminders;
using Governance.Runtime.Storage;
using Governance.Runtime.Streams;
using Governance.Runtime.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Governance.Grains.Tests.Models;

/// <summary>
/// The grain runtime on the memory store with a manual clock, as a silo wires it. Background
/// services (reminder delivery, activation collection) run only after <see cref="StartBackgroundServicesAsync"/>.
/// Writes take a moment, as a database round trip does, so that calls which are not serialized
/// would interleave between reading the state and committing it.
/// </summary>
public sealed class GovernanceTestRuntime : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private IHostedService[] _started = [];

    /// <param name="reminderClockAhead">
    /// How far ahead of the grains' clock the reminder poller's clock runs, as on a node whose clock is skewed.
    /// </param>
    /// <param name="configureServices">Changes to the silo's services, applied last (for example another policy file).</param>
    public GovernanceTestRuntime(TimeSpan reminderClockAhead = default, Action<IServiceCollection>? configureServices = null)
    {
        Clock = new ManualTimeProvider(TestModels.T0);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddGrainRuntime().AddGovernanceGrains();
        services.AddSingleton<IApproverDirectory>(new FixedApproverDirectory(Approvers));
        services.AddSingleton(sp => new SlowWriteStorage(sp.GetRequiredService<MemoryStore>()));
        services.AddSingleton<IGrainStorage>(sp => sp.GetRequiredService<SlowWriteStorage>());
        if (reminderClockAhead != TimeSpan.Zero)
        {
            services.AddSingleton<IReminderTable>(sp => new SkewedReminderTable(sp.GetRequiredService<MemoryStore>(), reminderClockAhead));
        }

        services.Configure<ReminderOptions>(options => options.PollInterval = TimeSpan.FromMilliseconds(10));
        configureServices?.Invoke(services);
        _services = services.BuildServiceProvider();
        Grains = _services.GetRequiredService<IGrainFactory>();
        Store = _services.GetRequiredService<MemoryStore>();
        Directory = _services.GetRequiredService<IModelDirectory>();
        Streams = _services.GetRequiredService<IStreamProducer>();
    }

    /// <summary>
    /// The configured approvers, who alone get keys: alice, bob, carol and approver-01…approver-50
    /// (the concurrent signature test's); the trainer, submitter, deployer and revoker are not.
    /// </summary>
    public static IReadOnlyList<string> Approvers { get; } =
        [TestModels.Alice, TestModels.Bob, TestModels.Carol, .. Enumerable.Range(1, 50).Select(i => $"approver-{i:D2}")];

    public ManualTimeProvider Clock { get; }

    public IGrainFactory Grains { get; }

    public MemoryStore Store { get; }

    public IModelDirectory Directory { get; }

    /// <summary>Appends to the runtime's streams (delivered once <see cref="StartBackgroundServicesAsync"/> ran).</summary>
    public IStreamProducer Streams { get; }

    /// <summary>
    /// The next <paramref name="count"/> grain writes (of grains of <paramref name="grainType"/> only,
    /// when given) fail as an unreachable database does, writing nothing.
    /// </summary>
    public void FailNextWrites(int count, string? grainType = null) => _services.GetRequiredService<SlowWriteStorage>().FailNext(count, grainType);

    public IModelGovernanceGrain Model(string modelId = TestModels.ModelId) => Grains.GetGrain<IModelGovernanceGrain>(modelId);

    /// <summary>Starts the runtime's hosted services, among them the reminder poller (every 10 ms here).</summary>
    public async Task StartBackgroundServicesAsync()
    {
        _started = [.. _services.GetServices<IHostedService>()];
        foreach (var service in _started)
        {
            await service.StartAsync(CancellationToken.None);
        }
    }

    public Task RegisterKeyAsync(string principal) =>
        Grains.GetGrain<IApproverKeysGrain>(principal).RegisterKey(
            new Caller(principal), TestModels.KeyId,
            new KeyRegistrationRequest(Convert.ToBase64String(TestModels.KeyPair(principal).PublicKey)));

    /// <summary>Records the training output as the trainer and submits the approval as the submitter.</summary>
    public async Task<ApprovalView> TrainAndSubmitAsync(ApprovalRequest? request = null)
    {
        await Model().RecordTraining(new Caller(TestModels.Trainer), TestModels.Training());
        return await Model().SubmitApproval(new Caller(TestModels.Submitter), request ?? TestModels.Submission());
    }

    /// <summary>A signature by the principal's registered key over the signing input the grain hands out.</summary>
    public async Task<SignatureRequest> SignatureByAsync(string principal)
    {
        var document = await Model().GetApprovalDocument();
        var signature = Ed25519.Sign(TestModels.KeyPair(principal).Seed, Convert.FromBase64String(document.SigningInput));
        return new SignatureRequest(document.ApprovalId, TestModels.KeyId, Convert.ToBase64String(signature));
    }

    public async Task<ApprovalView> SignAsync(string principal)
    {
        await RegisterKeyAsync(principal);
        return await Model().AddSignature(new Caller(principal), await SignatureByAsync(principal));
    }

    /// <summary>Every ledger entry of the model, oldest first, as the evidence endpoint returns them.</summary>
    public async Task<IReadOnlyList<JsonElement>> EvidenceAsync(string modelId = TestModels.ModelId) =>
        (await Model(modelId).GetEvidence(0, 1000)).Entries;

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _started.Reverse())
        {
            await service.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
    }

    private sealed class SlowWriteStorage(MemoryStore store) : IGrainStorage
    {
        private int _failuresLeft;
        private volatile string? _failingType;

        public void FailNext(int count, string? grainType)
        {
            _failingType = grainType;
            Volatile.Write(ref _failuresLeft, count);
        }

        public Task<StoredGrainState?> ReadAsync(GrainId grain, CancellationToken cancellationToken) =>
            store.ReadAsync(grain, cancellationToken);

        public async Task<long> WriteAsync(GrainId grain, GrainWrite write, CancellationToken cancellationToken)
        {
            await Task.Delay(1, cancellationToken);
            var fails = _failingType is null || _failingType == grain.Type;
            for (var left = Volatile.Read(ref _failuresLeft); fails && left > 0; left = Volatile.Read(ref _failuresLeft))
            {
                if (Interlocked.CompareExchange(ref _failuresLeft, left - 1, left) == left)
                {
                    throw new StorageUnavailableException($"The test fails the write of {grain} on purpose.");
                }
            }

            return await store.WriteAsync(grain, write, cancellationToken);
        }

        public Task<IReadOnlyList<LedgerRecord>> ReadLedgerAsync(string chainId, long afterSeq, int limit, CancellationToken cancellationToken) =>
            store.ReadLedgerAsync(chainId, afterSeq, limit, cancellationToken);

        public Task<IReadOnlyList<GrainListing>> ListAsync(GrainListingQuery query, CancellationToken cancellationToken) =>
            store.ListAsync(query, cancellationToken);

        public Task CheckHealthAsync(CancellationToken cancellationToken) => store.CheckHealthAsync(cancellationToken);
    }

    private sealed class SkewedReminderTable(MemoryStore store, TimeSpan ahead) : IReminderTable
    {
        public Task UpsertAsync(GrainId grain, ReminderChange change, CancellationToken cancellationToken) =>
            store.UpsertAsync(grain, change, cancellationToken);

        public Task<IReadOnlyList<DueReminder>> GetDueAsync(
            IReadOnlyCollection<int> partitions, DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
            store.GetDueAsync(partitions, now + ahead, limit, cancellationToken);

        public Task CompleteAsync(DueReminder reminder, DateTimeOffset? nextDueAt, CancellationToken cancellationToken) =>
            store.CompleteAsync(reminder, nextDueAt, cancellationToken);
    }
}
