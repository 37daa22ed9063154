using System.Text.Json;

namespace Governance.Grains.Wire;

/// <summary>
/// A drift observation set aside after every delivery attempt failed (issue 9): the observation as
/// posted (an object, or the raw text when it is not a JSON object), the last error and when.
/// </summary>
[GenerateSerializer, Immutable, Alias("gov.DriftDeadLetter")]
public sealed record DriftDeadLetter(
    [property: Id(0)] long Id, [property: Id(1)] string ModelId, [property: Id(2)] int Partition, [property: Id(3)] long Seq, [property: Id(4)] JsonElement Payload, [property: Id(5)] string Error, [property: Id(6)] int Attempts, [property: Id(7)] string SetAsideAt)
{
    public static DriftDeadLetter Of(
        long id, string modelId, int partition, long seq, string payload, string error, int attempts, DateTimeOffset setAsideAt) =>
        new(id, modelId, partition, seq, PayloadOf(payload), error, attempts, Rfc3339.Milliseconds(setAsideAt));

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
