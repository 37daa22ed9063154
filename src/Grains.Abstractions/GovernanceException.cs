using Governance.Grains.Wire;

namespace Governance.Grains;

/// <summary>
/// A command refused by the domain, with its stable code (see <see cref="ErrorCodes"/>), the field
/// it concerns when there is one, and for policy refusals every failure. It crosses grain
/// boundaries with all three.
/// </summary>
[GenerateSerializer, Alias("gov.GovernanceException")]
public sealed class GovernanceException : Exception
{
    public GovernanceException(string code, string message, string? field = null, IReadOnlyList<PolicyFailure>? failures = null)
        : base(message)
    {
        Code = code;
        Field = field;
        Failures = failures;
    }

    [Id(0)]
    public string Code { get; private set; }

    [Id(1)]
    public string? Field { get; private set; }

    [Id(2)]
    public IReadOnlyList<PolicyFailure>? Failures { get; private set; }

    public static GovernanceException Invalid(string field, string message) => new(ErrorCodes.InvalidRequest, message, field);
}
