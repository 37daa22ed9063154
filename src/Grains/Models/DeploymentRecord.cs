using System.Text.Json.Serialization;
using Governance.Storage.Serialization;

namespace Governance.Grains.Models;

/// <summary>One promotion of the approval.</summary>
public sealed record DeploymentRecord(
    [property: JsonConverter(typeof(VocabularyStringConverter))] string Environment,
    [property: JsonConverter(typeof(VocabularyStringConverter))] string? Scope,
    [property: JsonConverter(typeof(VocabularyStringConverter))] string DeployedBy,
    DateTimeOffset DeployedAt, long EvidenceSeq);
