using System.Text.Json;
using Governance.Runtime.Streams;

namespace Governance.Grains.Wire;

/// <summary>
/// A drift observation set aside after every delivery attempt failed (issue 9): the observation as
/// posted (an object, or the raw text when it is not a JSON object), the last error and when.
/// </summary>
public sealed record DriftDeadLetter(
    long Id, string ModelId, int Partition, long Seq, JsonElement Payload, string Error, int Attempts, string SetAsideAt)
{
    public static DriftDeadLetter From(SetAsideEvent setAside) =>
        new(setAside.Id, setAside.Key, setAside.Partition, setAside.Seq, PayloadOf(setAside.Payload), setAside.Error, setAside.Attempts,
            Rfc3339.Milliseconds(setAside.SetAsideAt));

    private static JsonElement PayloadOf(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document.RootElement.Clone();
            }
        }
        catch (JsonException)
        {
            // Not JSON: given as a string below.
        }

        return JsonSerializer.SerializeToElement(payload, GovernanceJsonContext.Default.String);
    }
}
