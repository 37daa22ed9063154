using Governance.Gateway;
using Governance.Gateway.Host;

// appsettings.json sits beside the binary: read it from there whatever the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
// The default address; ASPNETCORE_URLS (or --urls) overrides it. The co-hosted gateway of a
// development silo holds 8080.
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:8081");
}

builder.AddGovernanceStandaloneGateway();
var app = builder.Build();
app.MapGovernanceGateway();
app.Run();

/// <summary>The standalone gateway's entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
