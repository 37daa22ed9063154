using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Governance.Grains;
using Microsoft.AspNetCore.Http;

namespace Governance.Gateway.Http;

/// <summary>
/// Reads a JSON request body with source-generated metadata. Malformed JSON, a wrong type, an
/// unknown field or anything <see cref="StrictJson"/> refuses (invalid Unicode, a repeated name, an
/// out-of-range number, too deep a nesting) becomes a <see cref="GovernanceException"/> naming the
/// field, never a 500.
/// </summary>
public static class RequestBody
{
    public static async Task<T> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            throw GovernanceException.Invalid("body", "The body must be JSON (Content-Type: application/json).");
        }

        // Buffered (the server caps its size) so that it is checked strictly before it is bound.
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        var json = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        try
        {
            StrictJson.Validate(json.Span);
            return JsonSerializer.Deserialize(json.Span, typeInfo)
                ?? throw GovernanceException.Invalid("body", "The body must be a JSON object, not null.");
        }
        catch (JsonException exception)
        {
            var field = FieldOf(exception.Path);
            var detail = field is null
                ? $"The body is not valid JSON (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine})."
                : $"Field '{field}' is unknown or has a value of the wrong type.";
            throw GovernanceException.Invalid(field ?? "body", detail);
        }
    }

    /// <summary><c>$.metrics.accuracy</c> → <c>metrics.accuracy</c>; <c>$</c> or none → null.</summary>
    private static string? FieldOf(string? path) =>
        path is null || path.Length <= 2 ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}
