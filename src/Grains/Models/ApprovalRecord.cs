using System.Text.Json.Serialization;
using Governance.Storage.Serialization;

namespace Governance.Grains.Models;

/// <summary>
/// One approval: the fields of the signed document, its stored status, signatures and deployments.
/// The document itself is derived from these fields (see <see cref="ApprovalDocument"/>).
/// </summary>
public sealed record ApprovalRecord(
    string ApprovalId,
    [property: JsonConverter(typeof(RepeatedStringConverter))] string WeightsHash,
    [property: JsonConverter(typeof(VocabularyStringConverter))] string TrainedBy,
    [property: JsonConverter(typeof(VocabularyStringConverter))] string SubmittedBy,
    DateTimeOffset SubmittedAt,
    DateTimeOffset ExpiresAt,
    [property: JsonConverter(typeof(VocabularyStringConverter))] string Profile,
    [property: JsonConverter(typeof(RepeatedStringConverter))] string? CorrelationId,
    [property: JsonConverter(typeof(VocabularyListConverter))] IReadOnlyList<string> Environments,
    [property: JsonConverter(typeof(VocabularyListConverter))] IReadOnlyList<string>? Scopes,
    int RequiredApprovers,
    [property: JsonConverter(typeof(VocabularyStringConverter))] string Status,
    [property: JsonConverter(typeof(CompactListConverter<SignatureRecord>))] IReadOnlyList<SignatureRecord> Signatures,
    [property: JsonConverter(typeof(CompactListConverter<DeploymentRecord>))] IReadOnlyList<DeploymentRecord> Deployments,
    DateTimeOffset? QuorumReachedAt,
    RevocationRecord? Revocation)
{
    /// <summary>The status as of <paramref name="now"/>: a live approval past its expiry is expired.</summary>
    public string StatusAt(DateTimeOffset now) =>
        ApprovalStatus.IsLive(Status) && now >= ExpiresAt ? ApprovalStatus.Expired : Status;
}
