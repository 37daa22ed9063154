using Governance.Crypto;
using Governance.Grains.Calls;
using Governance.Grains.Models;
using Governance.Grains.Tests.Models;
using Governance.Grains.Wire;
using Microsoft.Extensions.DependencyInjection;
using static Governance.Grains.Tests.Models.TestModels;

namespace Governance.Grains.Tests.Calls;

/// <summary>
/// Who is calling (DESIGN §4), through the test cluster's Orleans client as a .NET service calls: the
/// token travels in the request context and the silo's call filter resolves it; nothing about the
/// caller is taken from the client otherwise.
/// </summary>
[Trait("Category", "Unit")]
public sealed class CallerFilterTests
{
    private static readonly string[] Approvers = ["alice", "bob", "omni"];

    [Fact]
    public async Task A_call_without_a_token_is_unauthorized_for_commands_and_queries_alike()
    {
        await using var runtime = await StartAsync();
        var model = As(runtime, null);

        Assert.Equal(ErrorCodes.Unauthorized, (await Assert.ThrowsAsync<GovernanceException>(model.GetModel)).Code);
        Assert.Equal(ErrorCodes.Unauthorized, (await Assert.ThrowsAsync<GovernanceException>(() => model.Verify(Query()))).Code);
        Assert.Equal(ErrorCodes.Unauthorized, (await Assert.ThrowsAsync<GovernanceException>(() => model.RecordTraining(Training()))).Code);
    }

    [Fact]
    public async Task An_unknown_token_is_unauthorized()
    {
        await using var runtime = await StartAsync();

        var refusal = await Assert.ThrowsAsync<GovernanceException>(() => As(runtime, "t-forged").RecordTraining(Training()));

        Assert.Equal(ErrorCodes.Unauthorized, refusal.Code);
    }

    [Theory]
    [InlineData("t-auditor")]
    [InlineData("t-registry")]
    [InlineData("t-alice")]
    public async Task Recording_training_without_the_trainer_role_is_forbidden_and_writes_nothing(string token)
    {
        await using var runtime = await StartAsync();

        var refusal = await Assert.ThrowsAsync<GovernanceException>(() => As(runtime, token).RecordTraining(Training()));

        Assert.Equal(ErrorCodes.Forbidden, refusal.Code);
        Assert.Equal(ErrorCodes.NotFound, (await As(runtime, "t-auditor").Verify(Query())).Reason);
    }

    [Fact]
    public async Task Each_command_needs_its_role()
    {
        await using var runtime = await StartAsync();
        await As(runtime, "t-trainer").RecordTraining(Training());

        Assert.Equal(ErrorCodes.Forbidden, (await Assert.ThrowsAsync<GovernanceException>(() => As(runtime, "t-trainer").SubmitApproval(Submission()))).Code);
        var approval = await As(runtime, "t-alice").SubmitApproval(Submission() with { RequiredApprovers = 1 });
        Assert.Equal(ErrorCodes.Forbidden, (await Assert.ThrowsAsync<GovernanceException>(() => As(runtime, "t-deployer").Revoke(new RevocationRequest("no")))).Code);
        Assert.Equal(ErrorCodes.Forbidden, (await Assert.ThrowsAsync<GovernanceException>(() => As(runtime, "t-trainer").GetEvidence(0, 10))).Code);
        Assert.Equal(ErrorCodes.Forbidden, (await Assert.ThrowsAsync<GovernanceException>(() => As(runtime, "t-alice").Deploy(Deployment(approvalId: approval.ApprovalId)))).Code);
        Assert.NotEmpty((await As(runtime, "t-auditor").GetEvidence(0, 10)).Entries);
    }

    [Fact]
    public async Task Keys_are_registered_by_admins_only()
    {
        await using var runtime = await StartAsync();
        var request = new KeyRegistrationRequest(Convert.ToBase64String(KeyPair("alice").PublicKey));

        CallerToken.Set("t-alice");
        var refusal = await Assert.ThrowsAsync<GovernanceException>(() => runtime.Client.GetGrain<IApproverKeysGrain>("alice").RegisterKey(KeyId, request));
        CallerToken.Set("t-admin");
        var registered = await runtime.Client.GetGrain<IApproverKeysGrain>("alice").RegisterKey(KeyId, request);

        Assert.Equal(ErrorCodes.Forbidden, refusal.Code);
        Assert.True(registered.Created);
    }

    [Fact]
    public async Task The_trainer_may_not_sign_its_own_model_even_with_the_approver_role()
    {
        await using var runtime = await StartAsync();
        await RegisterAsync(runtime, "omni");
        await As(runtime, "t-omni").RecordTraining(Training());
        await As(runtime, "t-alice").SubmitApproval(Submission());

        var refusal = await Assert.ThrowsAsync<GovernanceException>(async () => await As(runtime, "t-omni").AddSignature(await SignatureAsync(runtime, "omni")));

        Assert.Equal(ErrorCodes.SeparationOfDuties, refusal.Code);
    }

    [Fact]
    public async Task A_signer_may_not_deploy_what_it_signed_even_with_the_deployer_role()
    {
        await using var runtime = await StartAsync();
        await RegisterAsync(runtime, "omni");
        await As(runtime, "t-trainer").RecordTraining(Training());
        var approval = await As(runtime, "t-alice").SubmitApproval(Submission() with { RequiredApprovers = 1 });
        await As(runtime, "t-omni").AddSignature(await SignatureAsync(runtime, "omni"));

        var refusal = await Assert.ThrowsAsync<GovernanceException>(() => As(runtime, "t-omni").Deploy(Deployment(approvalId: approval.ApprovalId)));
        var deployed = await As(runtime, "t-deployer").Deploy(Deployment(approvalId: approval.ApprovalId));

        Assert.Equal(ErrorCodes.SeparationOfDuties, refusal.Code);
        Assert.Equal("deployer-1", deployed.DeployedBy);
    }

    [Fact]
    public async Task The_principal_is_the_tokens_whatever_the_client_puts_beside_it()
    {
        await using var runtime = await StartAsync();
        // A client that claims another identity in the request context gains nothing by it.
        RequestContext.Set("gov-principal", "trainer-1");
        RequestContext.Set("principal", "trainer-1");

        var refusal = await Assert.ThrowsAsync<GovernanceException>(() => As(runtime, "t-auditor").RecordTraining(Training()));
        var trained = await As(runtime, "t-trainer").RecordTraining(Training());

        Assert.Equal(ErrorCodes.Forbidden, refusal.Code);
        Assert.Equal("trainer-1", trained.TrainedBy);
    }

    private static Task<GovernanceTestRuntime> StartAsync() =>
        GovernanceTestRuntime.StartAsync(configureServices: services =>
        {
            services.AddSingleton<ICallerDirectory, RoleCallers>();
            services.AddSingleton<IApproverDirectory>(new Governance.Grains.Keys.FixedApproverDirectory(Approvers));
        });

    /// <summary>The model grain as the client library sees it, with <paramref name="token"/> (none when null) on the calls that follow.</summary>
    private static IModelGovernanceGrain As(GovernanceTestRuntime runtime, string? token)
    {
        CallerToken.Set(token);
        return runtime.Client.GetGrain<IModelGovernanceGrain>(ModelId);
    }

    private static async Task RegisterAsync(GovernanceTestRuntime runtime, string principal)
    {
        CallerToken.Set("t-admin");
        await runtime.Client.GetGrain<IApproverKeysGrain>(principal)
            .RegisterKey(KeyId, new KeyRegistrationRequest(Convert.ToBase64String(KeyPair(principal).PublicKey)));
    }

    private static async Task<SignatureRequest> SignatureAsync(GovernanceTestRuntime runtime, string principal)
    {
        var document = await As(runtime, "t-auditor").GetApprovalDocument();
        var signature = Ed25519.Sign(KeyPair(principal).Seed, Convert.FromBase64String(document.SigningInput));
        return new SignatureRequest(document.ApprovalId, KeyId, Convert.ToBase64String(signature));
    }
}
