using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Governance.Client;
using Governance.Gateway;
using Governance.Gateway.Authentication;
using Governance.Gateway.Tests.Infrastructure;
using Governance.Grains.Drift;
using Governance.Grains.Policy;
using Governance.Grains.Expiry;
using Governance.Silo;
using Governance.Storage.Streams;
using Orleans.Configuration;

namespace Governance.Gateway.Tests.Deployment;

/// <summary>
/// deploy/, docker-compose.yml and the README name only configuration keys the silo or the standalone
/// gateway reads (the gateway reads a subset of the silo's sections plus <c>Governance:Client</c>).
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class DeploymentConfigurationTests
{
    /// <summary>The sections the silo binds, and the options types bound to each.</summary>
    private static readonly Dictionary<string, Type[]> Sections = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Governance:Storage"] = [typeof(StorageOptions)],
        ["Governance:Streams"] = [typeof(DriftDeliveryOptions), typeof(PostgresStreamOptions)],
        ["Governance:Expiry"] = [typeof(ExpiryCatchUpOptions)],
        ["Orleans"] = [typeof(OrleansOptions)],
        ["Orleans:Endpoints"] = [typeof(OrleansEndpointOptions)],
        ["Orleans:Membership"] = [typeof(ClusterMembershipOptions)],
        ["Governance:Policy"] = [typeof(PolicyOptions)],
        ["Governance:Drift"] = [typeof(DriftAlertOptions)],
        ["Governance:Gateway"] = [typeof(GatewayOptions)],
        ["Governance:Client"] = [typeof(GovernanceClientOptions)],
        ["Orleans:Tls"] = [typeof(ClusterTlsOptions)],
    };

    private static readonly string[] OtherKeys = ["ConnectionStrings:Governance", "ASPNETCORE_URLS", "ASPNETCORE_ENVIRONMENT"];

    [Fact]
    public void Docker_compose_sets_only_keys_the_silo_reads()
    {
        var compose = File.ReadAllText(Path.Combine(RepositoryRoot, "docker-compose.yml"));
        var keys = ComposeKey().Matches(compose).Select(m => m.Groups[1].Value.Replace("__", ":", StringComparison.Ordinal)).ToList();

        Assert.Contains("Governance:Storage:Provider", keys);
        Assert.All(keys, key => Assert.True(IsKnown(key), $"docker-compose.yml sets '{key}', which the silo does not read"));
    }

    [Fact]
    public void The_kubernetes_manifests_set_only_keys_the_silo_and_gateway_read()
    {
        var directory = Path.Combine(RepositoryRoot, "deploy", "kubernetes");
        var keys = Directory.GetFiles(directory, "*.yaml")
            .SelectMany(file => ManifestKey().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Key: m.Groups[1].Value.Replace("__", ":", StringComparison.Ordinal))))
            .ToList();

        Assert.Contains(keys, k => k.Key == "Orleans:Endpoints:AdvertisedIPAddress");
        Assert.Contains(keys, k => k.Key == "ConnectionStrings:Governance");
        Assert.All(keys, k => Assert.True(IsKnown(k.Key), $"deploy/kubernetes/{k.File} sets '{k.Key}', which neither the silo nor the gateway reads"));
    }

    [Fact]
    public void The_sample_production_configuration_names_only_keys_the_silo_reads()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot, "deploy", "silo.production.json")));
        var keys = Flatten(json.RootElement, "").ToList();

        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.True(IsKnown(key), $"deploy/silo.production.json sets '{key}', which the silo does not read"));
    }

    [Fact]
    public void Every_key_in_the_readme_configuration_table_is_read_by_the_silo()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot, "README.md"));
        var keys = ReadmeKey().Matches(readme).Select(m => m.Groups[1].Value.Replace(":N:", ":0:", StringComparison.Ordinal)).ToList();

        Assert.True(keys.Count >= 10, "the README configuration table lists the keys");
        Assert.All(keys, key => Assert.True(IsKnown(key), $"README.md documents '{key}', which the silo does not read"));
    }

    [Fact]
    public void The_example_policy_file_loads()
    {
        var profiles = PolicyFileLoader.LoadFile(Path.Combine(RepositoryRoot, "deploy", "policies.example.yaml"));

        Assert.Equal(["default", "regulated"], profiles.Keys.Order(StringComparer.Ordinal));
    }

    private static bool IsKnown(string key)
    {
        if (OtherKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        var principal = PrincipalKey().Match(key);
        if (principal.Success)
        {
            return typeof(PrincipalOptions).GetProperty(principal.Groups[1].Value, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is not null;
        }

        var separator = key.LastIndexOf(':');
        return separator > 0
            && Sections.TryGetValue(key[..separator], out var types)
            && types.Any(options => options.GetProperty(key[(separator + 1)..], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase) is not null);
    }

    private static IEnumerable<string> Flatten(JsonElement element, string prefix) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Flatten(p.Value, prefix.Length == 0 ? p.Name : $"{prefix}:{p.Name}")),
        JsonValueKind.Array => element.EnumerateArray().SelectMany((item, index) => Flatten(item, $"{prefix}:{index}")),
        _ => [prefix],
    };

    private static string RepositoryRoot => RepositoryPaths.Root;

    [GeneratedRegex(@"^\s+((?:Governance|ConnectionStrings|ASPNETCORE|Orleans)_{1,2}[A-Za-z_]+):", RegexOptions.Multiline)]
    private static partial Regex ComposeKey();

    /// <summary>A ConfigMap data key or a container env name.</summary>
    [GeneratedRegex(@"^\s+(?:- name: )?((?:Governance|ConnectionStrings|ASPNETCORE|Orleans)__[A-Za-z_]+)(?::|\s*$)", RegexOptions.Multiline)]
    private static partial Regex ManifestKey();

    [GeneratedRegex(@"^\| `([A-Za-z_:N]+)` \|", RegexOptions.Multiline)]
    private static partial Regex ReadmeKey();

    [GeneratedRegex(@"^Governance:Principals:\d+:(\w+)(?::\d+)?$")]
    private static partial Regex PrincipalKey();
}
