using Governance.Grains.Wire;

namespace Governance.Grains;

/// <summary>
/// A command refused by the domain, with its stable code (see <see cref="ErrorCodes"/>), the field
/// it concerns when there is one, and for policy refusals every failure.
/// </summary>
public sealed class GovernanceException(
    string code, string message, string? field = null, IReadOnlyList<PolicyFailure>? failures = null)
    : Exception(message)
{
    public string Code { get; } = code;

    public string? Field { get; } = field;

    public IReadOnlyList<PolicyFailure>? Failures { get; } = failures;

    public static GovernanceException Invalid(string field, string message) => new(ErrorCodes.InvalidRequest, message, field);
}
