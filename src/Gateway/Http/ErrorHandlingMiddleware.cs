using Governance.Grains;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Governance.Gateway.Http;

/// <summary>
/// Turns every failure into problem+json: domain refusals keep their code, an unreachable store is
/// 503 <c>unavailable</c>, a bad or oversized body is 400/413; anything else is a 500 without details.
/// </summary>
internal sealed class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    /// <summary>
    /// Failures that say the cluster could not answer, not that the request was wrong: the grains'
    /// <c>unavailable</c>, Orleans' own (no silo, a rejected message, a response timeout).
    /// </summary>
    public static bool IsUnavailable(Exception exception) => exception is
        GovernanceException { Code: ErrorCodes.Unavailable } or OrleansException or TimeoutException;

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (!context.Response.HasStarted)
        {
            var (code, detail, field) = exception switch
            {
                GovernanceException refusal => (refusal.Code, refusal.Message, refusal.Field),
                _ when IsUnavailable(exception) && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) =>
                    (ErrorCodes.Unavailable, "The cluster did not answer, so whether this write was committed is unknown: read the model before repeating it.", null),
                _ when IsUnavailable(exception) => (ErrorCodes.Unavailable, "The cluster is unavailable; retry later.", null),
                BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                    (ErrorCodes.PayloadTooLarge, "The request body exceeds the size limit.", "body"),
                BadHttpRequestException bad => (ErrorCodes.InvalidRequest, bad.Message, null),
                OperationCanceledException when context.RequestAborted.IsCancellationRequested => ("", "", null),
                _ => (null, null, null),
            };

            if (code == "")
            {
                return;
            }

            if (code is null)
            {
                GatewayLog.UnhandledException(logger, exception, context.Request.Method, context.Request.Path.Value ?? "");
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                context.Response.ContentType = Problems.ContentType;
                await context.Response.WriteAsync(
                    """{"type":"about:blank","title":"Internal error.","status":500,"detail":"The request failed; it is logged.","code":"internal"}""",
                    context.RequestAborted);
                return;
            }

            if (code == ErrorCodes.Unavailable)
            {
                GatewayLog.StorageUnavailable(logger, exception, context.Request.Method, context.Request.Path.Value ?? "");
            }

            context.Response.Clear();
            await Problems.WriteAsync(context, code, detail!, field, (exception as GovernanceException)?.Failures);
        }
    }
}
