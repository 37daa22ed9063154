using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Governance.Grains;
using Governance.Grains.Wire;
using Microsoft.AspNetCore.Http;

namespace Governance.Gateway.Http;

/// <summary>RFC 9457 problem+json responses carrying the stable <c>code</c>.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    // Messages quote names ('strict'); keep them readable instead of \u0027.
    private static readonly JsonTypeInfo<ProblemBody> BodyType = (JsonTypeInfo<ProblemBody>)new JsonSerializerOptions(GovernanceJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    }.GetTypeInfo(typeof(ProblemBody));

    public static ProblemBody Create(string code, string detail, string? field = null, IReadOnlyList<PolicyFailure>? failures = null)
    {
        var status = ErrorCodes.HttpStatus(code);
        return new ProblemBody($"https://model-governance.dev/problems/{code}", Title(code), status, detail, code, field, failures);
    }

    public static IResult Result(string code, string detail, string? field = null, IReadOnlyList<PolicyFailure>? failures = null)
    {
        var body = Create(code, detail, field, failures);
        return TypedResults.Json(body, BodyType, ContentType, body.Status);
    }

    public static IResult From(GovernanceException exception) =>
        Result(exception.Code, exception.Message, exception.Field, exception.Failures);

    public static async Task WriteAsync(HttpContext context, string code, string detail, string? field = null, IReadOnlyList<PolicyFailure>? failures = null)
    {
        var body = Create(code, detail, field, failures);
        context.Response.StatusCode = body.Status;
        context.Response.ContentType = ContentType;
        await JsonSerializer.SerializeAsync(context.Response.Body, body, BodyType, context.RequestAborted);
    }

    private static string Title(string code) => code switch
    {
        ErrorCodes.InvalidRequest => "The request is malformed.",
        ErrorCodes.Unauthorized => "Authentication is required.",
        ErrorCodes.Forbidden => "The principal may not do this.",
        ErrorCodes.SeparationOfDuties => "Separation of duties forbids this.",
        ErrorCodes.NotFound => "Not found.",
        ErrorCodes.MethodNotAllowed => "The method is not allowed.",
        ErrorCodes.PolicyViolation => "The policy profile refuses this submission.",
        ErrorCodes.Unavailable => "The service is unavailable.",
        ErrorCodes.PayloadTooLarge => "The request body is too large.",
        _ => "The request was refused.",
    };
}
