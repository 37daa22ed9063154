using System.Text.Json;
using Governance.Crypto;
using Governance.Grains.Calls;
using Governance.Grains.Expiry;
using Governance.Grains.Keys;
using Governance.Grains.Tests.Infrastructure;
using Governance.Grains.Wire;
using Governance.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.Streams;
using Governance.Storage.Streams;
using Orleans.TestingHost;

namespace Governance.Grains.Tests.Models;

/// <summary>
/// One Orleans silo in an <see cref="InProcessTestCluster"/>, wired as the embedded silo is (memory
/// grain storage, in-memory reminders, memory streams, the caller filter and the expiry catch-up),
/// with a manual domain clock and a storage whose writes take a moment and can be made to fail.
/// Tests call it through the cluster's client, as the gateway and the client library do.
/// </summary>
public sealed class GovernanceTestRuntime : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;

    private GovernanceTestRuntime(InProcessTestCluster cluster, ManualTimeProvider clock, StorageFaults faults)
    {
        _cluster = cluster;
        Clock = clock;
        Faults = faults;
    }

    /// <summary>
    /// The configured approvers, who alone get keys: alice, bob, carol and approver-01…approver-50
    /// (the concurrent signature test's); the trainer, submitter, deployer and revoker are not.
    /// </summary>
    public static IReadOnlyList<string> Approvers { get; } =
        [TestModels.Alice, TestModels.Bob, TestModels.Carol, .. Enumerable.Range(1, 50).Select(i => $"approver-{i:D2}")];

    public ManualTimeProvider Clock { get; }

    public StorageFaults Faults { get; }

    /// <summary>The cluster's client; calls from here carry the observer's token (every role) unless a command names its caller.</summary>
    public IGrainFactory Grains
    {
        get
        {
            CallerToken.Set(TestCallers.TokenOf(TestCallers.Observer));
            return _cluster.Client;
        }
    }

    /// <summary>The cluster's client, with whatever token the caller set (<see cref="CallerToken"/>).</summary>
    public IClusterClient Client => _cluster.Client;

    /// <summary>The silo's services (its storage, its reminder table).</summary>
    public IServiceProvider SiloServices => _cluster.Silos[0].ServiceProvider;

    /// <param name="settings">Configuration of the silo (for example Governance:Streams:MaxDeliveryAttempts).</param>
    /// <param name="configureServices">Changes to the silo's services, applied last (for example another policy file).</param>
    public static async Task<GovernanceTestRuntime> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        var clock = new ManualTimeProvider(TestModels.T0);
        var faults = new StorageFaults();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Governance:Expiry:Interval"] = "00:00:00.050" })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseInMemoryReminderService();
            silo.AddMemoryStreams(DriftStreams.ProviderName, stream => stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly));
            silo.AddGovernanceMemoryStorage();
            silo.Services.AddSingleton<IStreamSetAside>(new MemoryStreamSetAside());
            silo.AddGovernanceGrains(configuration);
            silo.Services.DecorateKeyed<IGrainStorage>(GovernanceStorageNames.GrainStorage, (_, inner) => new FaultyGrainStorage(inner, faults));
            var ledger = silo.Services.Last(d => d.ServiceType == typeof(ILedgerReader));
            silo.Services.AddSingleton(new TamperingLedgerReader((ILedgerReader)ledger.ImplementationInstance!));
            silo.Services.AddSingleton<ILedgerReader>(sp => sp.GetRequiredService<TamperingLedgerReader>());
            silo.Services.AddKeyedSingleton<TimeProvider>(GovernanceClock.ServiceKey, clock);
            silo.Services.AddSingleton<IApproverDirectory>(new FixedApproverDirectory(Approvers));
            silo.Services.AddSingleton<ICallerDirectory, TestCallers>();
            configureServices?.Invoke(silo.Services);
        });
        builder.ConfigureClient(client => client.AddMemoryStreams(DriftStreams.ProviderName, stream => stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly)));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new GovernanceTestRuntime(cluster, clock, faults);
    }

    /// <summary>
    /// The next <paramref name="count"/> grain writes (of grains of <paramref name="grainType"/> only,
    /// when given) fail as an unreachable database does, writing nothing.
    /// </summary>
    public void FailNextWrites(int count, string? grainType = null) => Faults.FailNext(count, grainType);

    /// <summary>The model grain, called as the observer (every role) unless a command names its caller.</summary>
    public IModelGovernanceGrain Model(string modelId = TestModels.ModelId)
    {
        CallerToken.Set(TestCallers.TokenOf(TestCallers.Observer));
        return Grains.GetGrain<IModelGovernanceGrain>(modelId);
    }

    public IApproverKeysGrain Keys(string principal)
    {
        CallerToken.Set(TestCallers.TokenOf(TestCallers.Observer));
        return Grains.GetGrain<IApproverKeysGrain>(principal);
    }

    /// <summary>From now on, the grains read the rows of <paramref name="chainId"/> as <paramref name="tamper"/> changes them.</summary>
    public void TamperLedger(string chainId, Func<List<LedgerRecord>, List<LedgerRecord>> tamper) =>
        SiloServices.GetRequiredService<TamperingLedgerReader>().Tamper(chainId, tamper);

    /// <summary>A state row as stored, by grain type and key (null when none).</summary>
    public async Task<string?> StoredStateJsonAsync(string grainType, string key)
    {
        var rows = await SiloServices.GetRequiredService<IGrainStateListing>()
            .ListAsync(new GrainListingQuery(grainType, null, null, null, 10_000), CancellationToken.None);
        return rows.SingleOrDefault(r => r.Key == key)?.StateJson;
    }

    /// <summary>The reminders the silo's reminder table holds for a model.</summary>
    public async Task<IReadOnlyList<ReminderEntry>> RemindersAsync(string modelId)
    {
        var rows = await SiloServices.GetRequiredService<IReminderTable>().ReadRows(GrainId.Create("model", modelId));
        return [.. rows.Reminders];
    }

    /// <summary>A model's drift stream, as the gateway produces to it.</summary>
    public IAsyncStream<DriftObservation> DriftStream(string modelId) =>
        _cluster.Client.GetStreamProvider(DriftStreams.ProviderName).GetStream<DriftObservation>(StreamId.Create(DriftStreams.Namespace, modelId));

    public IListingGrain Listings()
    {
        CallerToken.Set(TestCallers.TokenOf(TestCallers.Observer));
        return Grains.GetGrain<IListingGrain>(0);
    }

    public Task RegisterKeyAsync(string principal) =>
        Keys(principal).RegisterKey(
            new Caller(principal), TestModels.KeyId,
            new KeyRegistrationRequest(Convert.ToBase64String(TestModels.KeyPair(principal).PublicKey)));

    /// <summary>Records the training output as the trainer and submits the approval as the submitter.</summary>
    public async Task<ApprovalView> TrainAndSubmitAsync(ApprovalRequest? request = null, string modelId = TestModels.ModelId)
    {
        await Model(modelId).RecordTraining(new Caller(TestModels.Trainer), TestModels.Training());
        return await Model(modelId).SubmitApproval(new Caller(TestModels.Submitter), request ?? TestModels.Submission());
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
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }
}
