using System.Text.Json;
using Governance.Crypto;
using Governance.Grains.Wire;
using Governance.Runtime;
using Governance.Runtime.Hosting;
using Governance.Runtime.Memory;
using Governance.Runtime.Reminders;
using Governance.Runtime.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Governance.Grains.Tests.Models;

/// <summary>
/// The grain runtime on the memory store with a manual clock, as a silo wires it. Background
/// services (reminder delivery, activation collection) run only after <see cref="StartBackgroundServicesAsync"/>.
/// </summary>
public sealed class GovernanceTestRuntime : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private IHostedService[] _started = [];

    public GovernanceTestRuntime()
    {
        Clock = new ManualTimeProvider(TestModels.T0);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Clock);
        services.AddGrainRuntime().AddGovernanceGrains();
        services.Configure<ReminderOptions>(options => options.PollInterval = TimeSpan.FromMilliseconds(10));
        _services = services.BuildServiceProvider();
        Grains = _services.GetRequiredService<IGrainFactory>();
        Store = _services.GetRequiredService<MemoryStore>();
    }

    public ManualTimeProvider Clock { get; }

    public IGrainFactory Grains { get; }

    public MemoryStore Store { get; }

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
}
