using Governance.Grains.Wire;

namespace Governance.Grains.Tests.Infrastructure;

/// <summary>
/// The commands as the tests call them, with their caller: the caller travels as the call's token,
/// as from the gateway, and the silo resolves it (<see cref="TestCallers"/>).
/// </summary>
public static class GrainCallerExtensions
{
    public static Task<TrainingView> RecordTraining(this IModelGovernanceGrain model, Caller caller, TrainingOutputRequest request) =>
        CallerScope.Call(caller, () => model.RecordTraining(request));

    public static Task<ApprovalView> SubmitApproval(this IModelGovernanceGrain model, Caller caller, ApprovalRequest request) =>
        CallerScope.Call(caller, () => model.SubmitApproval(request));

    public static Task<ApprovalView> AddSignature(this IModelGovernanceGrain model, Caller caller, SignatureRequest request) =>
        CallerScope.Call(caller, () => model.AddSignature(request));

    public static Task<PromotionResult> Deploy(this IModelGovernanceGrain model, Caller caller, DeploymentRequest request) =>
        CallerScope.Call(caller, () => model.Deploy(request));

    public static Task<ApprovalView> Revoke(this IModelGovernanceGrain model, Caller caller, RevocationRequest request) =>
        CallerScope.Call(caller, () => model.Revoke(request));

    public static Task<KeyRegistrationResult> RegisterKey(this IApproverKeysGrain keys, Caller caller, string keyId, KeyRegistrationRequest request) =>
        CallerScope.Call(caller, () => keys.RegisterKey(keyId, request));

    public static Task<KeyView> RevokeKey(this IApproverKeysGrain keys, Caller caller, string keyId) =>
        CallerScope.Call(caller, () => keys.RevokeKey(keyId));
}
