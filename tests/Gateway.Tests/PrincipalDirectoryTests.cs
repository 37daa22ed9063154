using Governance.Gateway.Authentication;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Governance.Gateway.Tests;

/// <summary>The principal directory tells the grains who the approvers are (issue 9 row 11).</summary>
[Trait("Category", "Unit")]
public sealed class PrincipalDirectoryTests
{
    [Fact]
    public void Row11_only_principals_configured_with_the_approver_role_are_approvers()
    {
        var directory = Directory(Environments.Development, ("ops-approver", ["approver", "auditor"]), ("ops-admin", ["admin"]));

        Assert.True(directory.IsApprover("ops-approver"));
        Assert.True(directory.IsApprover("alice"));
        Assert.True(directory.IsApprover("omni"));
        Assert.False(directory.IsApprover("ops-admin"));
        Assert.False(directory.IsApprover("trainer-1"));
        Assert.False(directory.IsApprover("admin"));
        Assert.False(directory.IsApprover("nobody"));
        Assert.False(Directory(Environments.Production).IsApprover("alice"));
    }

    [Fact]
    public void Row11_an_approver_whose_id_starts_with_an_underscore_stops_the_start()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Directory(Environments.Production, ("_ops", ["approver"])));

        Assert.Contains("'_ops'", refused.Message, StringComparison.Ordinal);
        Assert.False(Directory(Environments.Production, ("_registry", ["registry"])).IsApprover("_registry"));
    }

    private static PrincipalDirectory Directory(string environment, params (string Id, string[] Roles)[] principals)
    {
        var options = new GatewayAuthOptions
        {
            Principals = [.. principals.Select(p => new PrincipalOptions { Id = p.Id, Roles = [.. p.Roles], TokenSha256 = PrincipalDirectory.HashToken("token-" + p.Id) })],
        };
        return new PrincipalDirectory(Options.Create(options), new Environment(environment));
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "tests";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
