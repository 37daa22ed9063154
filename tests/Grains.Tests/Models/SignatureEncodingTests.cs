using Governance.Grains.Models;
using Governance.Grains.Tests.Canonical;
using Governance.Grains.Wire;
using static Governance.Grains.Tests.Models.TestModels;

namespace Governance.Grains.Tests.Models;

/// <summary>Issue 9 row 9: signatures arrive in canonical base64 only, and stored ones compare by their bytes.</summary>
[Trait("Category", "Unit")]
public class SignatureEncodingTests
{
    public static TheoryData<string> Respellings => ["newline", "space", "trailing bits"];

    [Theory]
    [MemberData(nameof(Respellings))]
    public void Row9_a_valid_signature_in_non_canonical_base64_is_invalid_request_naming_signature(string how)
    {
        var state = Submitted();
        var request = SignatureBy(state, Alice);

        var refused = Assert.Throws<GovernanceException>(() =>
            ModelStateMachine.AddSignature(state, As(Alice), request with { Signature = Respell(request.Signature!, how) }, Key(Alice), Now));

        Assert.Equal((ErrorCodes.InvalidRequest, "signature"), (refused.Code, refused.Field));
    }

    [Theory]
    [MemberData(nameof(Respellings))]
    public void Row9_a_signature_stored_verbatim_before_the_rule_is_repeated_as_a_no_op_by_its_canonical_text(string how)
    {
        var canonical = SignatureBy(Submitted(), Alice);
        var stored = WithApproval(Pending(), a => a with
        {
            Signatures = [.. a.Signatures.Select(s => s.Principal == Alice ? s with { Signature = Respell(s.Signature, how) } : s)],
        });

        var repeat = ModelStateMachine.AddSignature(stored, As(Alice), canonical, Key(Alice), Now);

        Assert.Same(stored, repeat.State);
        Assert.Empty(repeat.Events);
    }

    private static string Respell(string canonical, string how) => how switch
    {
        "newline" => canonical[..40] + "\n" + canonical[40..],
        "space" => canonical[..40] + " " + canonical[40..],
        _ => CanonicalBase64Tests.WithTrailingBits(canonical, 1),
    };
}
