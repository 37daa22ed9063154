namespace Governance.Grains;

/// <summary>The stable <c>code</c> values of every refusal (DESIGN §5.7).</summary>
public static class ErrorCodes
{
    public const string InvalidRequest = "invalid_request";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string SeparationOfDuties = "separation_of_duties";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string ApprovalNotFound = "approval_not_found";
    public const string ApprovalActive = "approval_active";
    public const string ApprovalNotPending = "approval_not_pending";
    public const string ApprovalNotActive = "approval_not_active";
    public const string ApprovalMismatch = "approval_mismatch";
    public const string TrainingMissing = "training_missing";
    public const string KeyExists = "key_exists";
    public const string Conflict = "conflict";
    public const string ApprovalRevoked = "approval_revoked";
    public const string ApprovalExpired = "approval_expired";
    public const string QuorumNotMet = "quorum_not_met";
    public const string EnvironmentNotApproved = "environment_not_approved";
    public const string ScopeNotApproved = "scope_not_approved";
    public const string WeightsMismatch = "weights_mismatch";
    public const string PayloadTooLarge = "payload_too_large";
    public const string PolicyViolation = "policy_violation";
    public const string SignatureInvalid = "signature_invalid";
    public const string KeyUnknown = "key_unknown";
    public const string KeyRevoked = "key_revoked";
    public const string Unavailable = "unavailable";

    /// <summary>The HTTP status that carries each code.</summary>
    public static int HttpStatus(string code) => code switch
    {
        InvalidRequest => 400,
        Unauthorized => 401,
        Forbidden or SeparationOfDuties => 403,
        NotFound or ApprovalNotFound => 404,
        MethodNotAllowed => 405,
        ApprovalActive or ApprovalNotPending or ApprovalNotActive or ApprovalMismatch or TrainingMissing
            or KeyExists or Conflict or ApprovalRevoked or ApprovalExpired or QuorumNotMet
            or EnvironmentNotApproved or ScopeNotApproved or WeightsMismatch => 409,
        PayloadTooLarge => 413,
        PolicyViolation or SignatureInvalid or KeyUnknown or KeyRevoked => 422,
        Unavailable => 503,
        _ => 500,
    };
}
