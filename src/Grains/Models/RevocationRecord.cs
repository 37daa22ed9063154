using System.Text.Json.Serialization;
using Governance.Storage.Serialization;

namespace Governance.Grains.Models;

/// <summary>Why, by whom and when an approval ended early.</summary>
public sealed record RevocationRecord(string Reason, [property: JsonConverter(typeof(VocabularyStringConverter))] string RevokedBy, DateTimeOffset RevokedAt);
