using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using Governance.Canonical;
using Governance.Crypto;
using Governance.Grains.Evidence;
using Governance.Grains.Ledger;
using Governance.Grains.Wire;
using Governance.Storage;

namespace Governance.Grains.Keys;

/// <summary>
/// The Ed25519 keys of one approver. Key ids are unique per principal forever, and so is a public
/// key across all principals (claimed in <see cref="IPublicKeyIndexGrain"/>); only configured
/// approvers get keys. Registering and revoking are recorded in the chain <c>_keys:{principal}</c>.
/// </summary>
[GrainType("approver-keys")]
public sealed class ApproverKeysGrain(
    [PersistentState("state", GovernanceStorageNames.GrainStorage)] IPersistentState<EvidencedState<KeyRingState>> storage,
    ILedgerReader ledger,
    [FromKeyedServices(GovernanceClock.ServiceKey)] TimeProvider clock,
    IApproverDirectory approvers)
    : GovernedGrain<KeyRingState>(storage, ledger), IApproverKeysGrain
{
    private string ChainId => Identifiers.KeyChainId(GrainKey);

    protected override KeyRingState CreateEmptyState() =>
        new(KeyRingState.CurrentSchemaVersion, GrainKey, new Dictionary<string, ApproverKeyRecord>(StringComparer.Ordinal), 0, LedgerChain.GenesisHash);

    public async Task<KeyRegistrationResult> RegisterKey(string keyId, KeyRegistrationRequest request)
    {
        var caller = CallerContext.Require();
        RequireApprover();
        RequireKeyId(keyId);
        if (!CanonicalBase64.TryDecode(request.PublicKey, Ed25519.PublicKeySize, out var publicKey))
        {
            throw GovernanceException.Invalid("public_key", $"public_key must be {CanonicalBase64.Requirement(Ed25519.PublicKeySize)}.");
        }

        if (!Ed25519PublicKeyValidator.IsValid(publicKey))
        {
            throw GovernanceException.Invalid(
                "public_key", "public_key is not a usable Ed25519 public key: not canonically encoded, not a curve point, or of small order (or with a small-order component).");
        }

        // Rows stored before keys had to be canonical base64 hold their text verbatim: compare bytes.
        if (State.Keys.TryGetValue(keyId, out var existing))
        {
            return CanonicalBase64.DecodesTo(existing.PublicKey, publicKey) && existing.RevokedAt is null
                ? new KeyRegistrationResult(View(keyId, existing), Created: false)
                : throw new GovernanceException(ErrorCodes.KeyExists, $"Key id '{keyId}' of {GrainKey} is already used{(existing.RevokedAt is null ? " by another key" : " and was revoked")}.", "key_id");
        }

        // The same key under a second id of this principal is refused too: after the first id's
        // revocation it would bring the revoked key back.
        var sameKey = State.Keys.FirstOrDefault(k => CanonicalBase64.DecodesTo(k.Value.PublicKey, publicKey)).Key;
        if (sameKey is not null)
        {
            throw new GovernanceException(ErrorCodes.KeyExists, $"This public key is already registered to {GrainKey} as '{sameKey}'.", "public_key");
        }

        // Claim first, then store: a failure in between leaves a claim by this principal (its retry
        // passes), never a stored key that another principal could claim as well.
        await GrainFactory.GetGrain<IPublicKeyIndexGrain>(PublicKeyIndexGrain.KeyOf(publicKey)).Claim(GrainKey, publicKey);
        var now = clock.GetUtcNow();
        var record = new ApproverKeyRecord(request.PublicKey!, caller.Principal, now, null, null);
        await CommitAsync(keyId, record, LedgerEvents.KeyRegistered, caller, now);
        return new KeyRegistrationResult(View(keyId, record), Created: true);
    }

    public async Task<KeyView> RevokeKey(string keyId)
    {
        var caller = CallerContext.Require();
        RequireKeyId(keyId);
        if (!State.Keys.TryGetValue(keyId, out var existing))
        {
            throw new GovernanceException(ErrorCodes.NotFound, $"Key '{keyId}' of {GrainKey} is not registered.", "key_id");
        }

        if (existing.RevokedAt is not null)
        {
            return View(keyId, existing);
        }

        var now = clock.GetUtcNow();
        var record = existing with { RevokedBy = caller.Principal, RevokedAt = now };
        await CommitAsync(keyId, record, LedgerEvents.KeyRevoked, caller, now);
        return View(keyId, record);
    }

    public Task<KeyView?> GetKey(string keyId) =>
        Task.FromResult(State.Keys.TryGetValue(keyId, out var record) ? View(keyId, record) : null);

    public Task<EvidencePage> GetEvidence(long afterSeq, int limit)
    {
        RequireAnyKey();
        return EvidenceQueries.PageAsync((after, count) => ReadLedgerAsync(ChainId, after, count), afterSeq, limit);
    }

    public Task<ChainVerification> VerifyEvidence()
    {
        RequireAnyKey();
        return EvidenceQueries.VerifyAsync(ChainId, (after, count) => ReadLedgerAsync(ChainId, after, count), State.LedgerSeq, State.LedgerHead);
    }

    private async Task CommitAsync(string keyId, ApproverKeyRecord record, string eventName, Caller caller, DateTimeOffset now)
    {
        var state = State;
        var evidence = new EvidenceEvent(eventName, caller.Principal, new JsonObject { ["principal"] = GrainKey, ["key_id"] = keyId });
        var append = EvidenceAppend.Create(ChainId, state.LedgerSeq, state.LedgerHead, [evidence], now);
        var keys = new Dictionary<string, ApproverKeyRecord>(state.Keys, StringComparer.Ordinal) { [keyId] = record };
        await WriteStateAsync(state with { Keys = keys, LedgerSeq = append.Seq, LedgerHead = append.Head }, append.Records);
    }

    private void RequireAnyKey()
    {
        if (!HasStoredState)
        {
            throw new GovernanceException(ErrorCodes.NotFound, $"{GrainKey} has no registered keys.");
        }
    }

    private void RequireApprover()
    {
        if (!Identifiers.IsValidPrincipal(GrainKey))
        {
            throw GovernanceException.Invalid("principal", "The principal must be 1–128 characters of [A-Za-z0-9._:-], not starting with '_'.");
        }

        if (!approvers.IsApprover(GrainKey))
        {
            throw GovernanceException.Invalid("principal", $"{GrainKey} is not a configured approver; keys are registered for approvers only.");
        }
    }

    private static void RequireKeyId(string keyId)
    {
        if (!Identifiers.IsValidId(keyId))
        {
            throw GovernanceException.Invalid("key_id", "key_id must be 1–128 characters of [A-Za-z0-9._:-].");
        }
    }

    private KeyView View(string keyId, ApproverKeyRecord record) => new(
        GrainKey, keyId, CanonicalBase64.Canonicalize(record.PublicKey), Rfc3339.Milliseconds(record.RegisteredAt),
        record.RevokedAt is { } revokedAt ? Rfc3339.Milliseconds(revokedAt) : null);
}
