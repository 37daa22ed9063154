using Governance.Grains;
using Governance.Runtime.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Governance.Gateway.Http;

/// <summary>
/// Turns every failure into problem+json: domain refusals keep their code, an unreachable store is
/// 503 <c>unavailable</c>, a bad or oversized body is 400/413; anything else is a 500 without details.
/// </summary>
internal sealed class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
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
                StorageUnavailableException => (ErrorCodes.Unavailable, "Storage is unavailable; nothing was changed. Retry later.", null),
                ETagConflictException => (ErrorCodes.Conflict, "The model changed concurrently; retry the request.", null),
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

            if (exception is StorageUnavailableException)
            {
                GatewayLog.StorageUnavailable(logger, exception, context.Request.Method, context.Request.Path.Value ?? "");
            }

            context.Response.Clear();
            await Problems.WriteAsync(context, code, detail!, field, (exception as GovernanceException)?.Failures);
        }
    }
}
