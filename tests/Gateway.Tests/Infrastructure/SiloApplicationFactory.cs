using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;

namespace Governance.Gateway.Tests.Infrastructure;

/// <summary>
/// The real silo (its <c>Program</c>) in the Development environment, so the development tokens work,
/// with the given configuration. Settings go in as host settings because the silo reads its
/// configuration before <c>Build()</c>.
/// </summary>
public sealed class SiloApplicationFactory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environments.Development);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
