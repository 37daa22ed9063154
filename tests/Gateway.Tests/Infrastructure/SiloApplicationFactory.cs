using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;

namespace Governance.Gateway.Tests.Infrastructure;

/// <summary>
/// The real silo (its <c>Program</c>) on Kestrel at a free loopback port — so requests cross a real
/// HTTP stack with its limits — in the Development environment, so the development tokens work,
/// with the given configuration. Settings go in as host settings because the silo reads its
/// configuration before <c>Build()</c>.
/// </summary>
public sealed class SiloApplicationFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public SiloApplicationFactory(IReadOnlyDictionary<string, string?> settings)
    {
        _settings = settings;
        UseKestrel(0);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environments.Development);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
