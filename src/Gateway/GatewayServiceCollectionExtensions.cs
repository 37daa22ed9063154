using Governance.Grains;
using Governance.Grains.Calls;
using Governance.Gateway.Authentication;
using Governance.Gateway.Http;
using Governance.Gateway.Metrics;
using Governance.Gateway.OpenApi;
using Governance.Grains.Wire;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Governance.Gateway;

public static class GatewayServiceCollectionExtensions
{
    /// <summary>Adds the gateway's authentication, JSON, limits and OpenAPI document.</summary>
    public static IServiceCollection AddGovernanceGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GatewayAuthOptions>().Bind(configuration.GetSection("Governance"));
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection("Governance:Gateway"))
            .Validate(o => o.MaxRequestBodyBytes > 0, "Governance:Gateway:MaxRequestBodyBytes must be positive.")
            .ValidateOnStart();
        services.AddSingleton<PrincipalDirectory>();
        services.AddSingleton(sp => new GrainReferences<IModelGovernanceGrain>(sp.GetRequiredService<IGrainFactory>(), GovernanceApi.ModelReferences));
        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddAuthorization(Policies.Add);
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, GovernanceJsonContext.Default);
            // Bodies are read with GovernanceJsonContext, which refuses numbers in strings; these options
            // only write, and the OpenAPI schemas are made from them: say numbers are numbers.
            options.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        });
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddOptions<KestrelServerOptions>().Configure<Microsoft.Extensions.Options.IOptions<GatewayOptions>>(
            (kestrel, gateway) => kestrel.Limits.MaxRequestBodySize = gateway.Value.MaxRequestBodyBytes);
        services.AddOpenApi(GovernanceOpenApi.DocumentName, GovernanceOpenApi.Configure);
        services.AddSingleton(new PrometheusExporter(GatewayMetrics.MeterName, "Microsoft.Orleans"));
        return services;
    }

    /// <summary>Maps probes, the OpenAPI document and the API, behind problem+json error handling.</summary>
    public static WebApplication MapGovernanceGateway(this WebApplication app)
    {
        // Listen from the start, so /metrics counts what happened before its first scrape.
        _ = app.Services.GetRequiredService<PrometheusExporter>();
        app.Use(async (context, next) =>
        {
            await next(context);
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            GatewayMetrics.Responses.Add(1, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("status", context.Response.StatusCode));
        });
        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.UseStatusCodePages(async context =>
        {
            var response = context.HttpContext.Response;
            if (response.StatusCode == StatusCodes.Status404NotFound)
            {
                await Problems.WriteAsync(context.HttpContext, Grains.ErrorCodes.NotFound, "No such route.");
            }
            else if (response.StatusCode == StatusCodes.Status405MethodNotAllowed)
            {
                // Routing's 405 endpoint has set the Allow header already.
                await Problems.WriteAsync(
                    context.HttpContext, Grains.ErrorCodes.MethodNotAllowed, $"The method is not allowed on this route; allowed: {response.Headers.Allow}.");
            }
        });
        app.UseAuthentication();
        // The grains resolve the caller themselves: every grain call carries the caller's token.
        app.Use((context, next) =>
        {
            CallerToken.Set(BearerTokenHandler.TokenOf(context.Request));
            return next(context);
        });
        app.UseAuthorization();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapGet("/metrics", (PrometheusExporter exporter) => TypedResults.Text(exporter.Render(), "text/plain; version=0.0.4; charset=utf-8"))
            .ExcludeFromDescription();
        app.MapGovernanceApi();
        return app;
    }
}
