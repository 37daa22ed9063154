namespace Governance.Gateway.Tests.Infrastructure;

/// <summary>Something that serves the HTTP API: an in-process silo, a silo process, a standalone gateway.</summary>
public interface IApiTarget
{
    /// <summary>A client that sends <paramref name="token"/> as its bearer token (no Authorization header when null).</summary>
    ApiClient As(string? token);
}
