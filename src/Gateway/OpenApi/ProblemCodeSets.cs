using Governance.Grains;

namespace Governance.Gateway.OpenApi;

/// <summary>Refusal codes of the commands with many, as <c>src/Grains/Models/ModelStateMachine.cs</c> throws them.</summary>
public static class ProblemCodeSets
{
    /// <summary><c>ModelStateMachine.AddSignature</c>: the approval, its status, the signer and the key.</summary>
    public static readonly IReadOnlyList<string> AddSignature =
    [
        ErrorCodes.ApprovalNotFound, ErrorCodes.ApprovalMismatch, ErrorCodes.ApprovalNotPending, ErrorCodes.Conflict,
        ErrorCodes.SeparationOfDuties, ErrorCodes.KeyUnknown, ErrorCodes.KeyRevoked, ErrorCodes.SignatureInvalid,
    ];

    /// <summary><c>ModelStateMachine.Deploy</c>: the deploy gates in their order (DESIGN §5.4).</summary>
    public static readonly IReadOnlyList<string> DeployGates =
    [
        ErrorCodes.ApprovalNotFound, ErrorCodes.ApprovalMismatch, ErrorCodes.ApprovalRevoked, ErrorCodes.ApprovalExpired,
        ErrorCodes.QuorumNotMet, ErrorCodes.EnvironmentNotApproved, ErrorCodes.ScopeNotApproved, ErrorCodes.WeightsMismatch,
        ErrorCodes.SeparationOfDuties,
    ];
}
