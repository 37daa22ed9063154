using Governance.Gateway;
using Governance.Silo;

// appsettings.json sits beside the binary: read it from there whatever the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
// The default address; ASPNETCORE_URLS (or --urls) overrides it, with `dotnet run` too, since the
// launch profile names no applicationUrl.
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:8080");
}

builder.AddGovernanceSilo();
var app = builder.Build();
app.MapGovernanceGateway();
app.Run();

/// <summary>The silo's entry point, visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;
