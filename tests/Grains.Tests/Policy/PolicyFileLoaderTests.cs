using Governance.Grains.Policy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Governance.Grains.Tests.Policy;

/// <summary>
/// Policy files (DESIGN §5.6): the shipped profiles, every field, schema and rule errors that name
/// the file, line and field, <c>extends</c> that may only narrow, and a silo refusing to start.
/// </summary>
[Trait("Category", "Unit")]
public class PolicyFileLoaderTests
{
    private const string File = "policies.yaml";

    private const string Base = """
        version: 1
        profiles:
          base:
            version: "1"
            environments: [staging, production]
            min_approvers: 2
            min_approvers_by_environment: { production: 3 }
            default_ttl_days: 30
            max_ttl_days: 90
            metrics:
              accuracy: { min: 0.9 }
              harmful_rate: { max: 0.005 }
            required_card_fields: [owner]
            effective_from: "2026-01-01T00:00:00Z"
            effective_until: "2027-01-01T00:00:00Z"
            auto_revoke_severity: 0.7
            revoke_on_distribution_drift: true
            drift: { max_loss_increase: 0.1, min_accuracy_ratio: 0.97, confidence_threshold: 0.8, ks_threshold: 0.08, psi_threshold: 0.15, min_samples: 20 }
          child:
            version: "2"
            extends: base
        """;

    [Fact]
    public void The_shipped_development_profiles_are_those_of_the_design()
    {
        var profiles = PolicyFileLoader.LoadDevelopmentProfiles();

        Assert.Equal(["default", "strict"], profiles.Keys.Order(StringComparer.Ordinal));
        var standard = profiles["default"];
        Assert.Equal(["dev", "staging", "production"], standard.Environments);
        Assert.Equal((1, 90.0, 365.0), (standard.MinApprovers, standard.DefaultTtlDays, standard.MaxTtlDays));
        Assert.Empty(standard.Metrics);
        Assert.Empty(standard.MinApproversByEnvironment);

        var strict = profiles["strict"];
        Assert.Equal(["staging", "production"], strict.Environments);
        Assert.Equal((2, 30.0, 90.0), (strict.MinApprovers, strict.DefaultTtlDays, strict.MaxTtlDays));
        Assert.Equal(3, strict.Metrics.Count);
        Assert.Equal(new MetricBound(0.90, null), strict.Metrics["accuracy"]);
        Assert.Equal(new MetricBound(null, 0.05), strict.Metrics["fairness_subgroup_delta"]);
        Assert.Equal(new MetricBound(null, 0.005), strict.Metrics["harmful_rate"]);

        Assert.All(profiles.Values, profile =>
        {
            Assert.Equal("1", profile.Version);
            Assert.Empty(profile.RequiredCardFields);
            Assert.Null(profile.EffectiveFrom);
            Assert.Null(profile.EffectiveUntil);
            Assert.True(profile.AutoRevoke);
            Assert.Equal(0.8, profile.AutoRevokeSeverity);
            Assert.False(profile.RevokeOnDistributionDrift);
            Assert.Equal(DriftThresholds.Default, profile.DriftOrDefault);
        });
    }

    [Fact]
    public void A_profile_with_every_field_loads_each_of_them()
    {
        const string yaml = """
            version: 1
            profiles:
              full:
                version: 12
                description: Every field there is.
                environments: [staging, production]
                min_approvers: 2
                min_approvers_by_environment:
                  production: 3
                default_ttl_days: 14.5
                max_ttl_days: 60
                metrics:
                  accuracy: { min: 0.9 }
                  harmful_rate: { max: 0.005 }
                  calibration: { min: 0.1, max: 0.2 }
                required_card_fields: [owner, intended_use]
                effective_from: "2026-01-01T02:00:00+02:00"
                effective_until: 2027-01-01T00:00:00Z
                auto_revoke: false
                auto_revoke_severity: 0.6
                revoke_on_distribution_drift: true
                drift:
                  max_loss_increase: 0.1
                  min_accuracy_ratio: 0.97
                  confidence_threshold: 0.8
                  ks_threshold: 0.05
                  psi_threshold: 0.1
                  min_samples: 50
            """;

        var full = Assert.Single(PolicyFileLoader.Load(File, yaml)).Value;

        Assert.Equal(("full", "12"), (full.Name, full.Version));
        Assert.Equal(["staging", "production"], full.Environments);
        Assert.Equal(2, full.MinApprovers);
        Assert.Equal(3, Assert.Single(full.MinApproversByEnvironment, p => p.Key == "production").Value);
        Assert.Equal((14.5, 60.0), (full.DefaultTtlDays, full.MaxTtlDays));
        Assert.Equal(new MetricBound(0.9, null), full.Metrics["accuracy"]);
        Assert.Equal(new MetricBound(null, 0.005), full.Metrics["harmful_rate"]);
        Assert.Equal(new MetricBound(0.1, 0.2), full.Metrics["calibration"]);
        Assert.Equal(["owner", "intended_use"], full.RequiredCardFields);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), full.EffectiveFrom);
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), full.EffectiveUntil);
        Assert.False(full.AutoRevoke);
        Assert.Equal(0.6, full.AutoRevokeSeverity);
        Assert.True(full.RevokeOnDistributionDrift);
        Assert.Equal(new DriftThresholds(0.1, 0.97, 0.8, 0.05, 0.1, 50), full.Drift);
    }

    [Fact]
    public void Drift_thresholds_left_out_keep_the_defaults()
    {
        const string yaml = """
            profiles:
              p:
                version: "1"
                environments: [dev]
                min_approvers: 1
                default_ttl_days: 1
                max_ttl_days: 1
                drift: { ks_threshold: 0.2 }
            """;

        var profile = PolicyFileLoader.Load(File, yaml)["p"];

        Assert.Equal(DriftThresholds.Default with { KsThreshold = 0.2 }, profile.DriftOrDefault);
    }

    public static TheoryData<string, string, string, string> SchemaErrors => new()
    {
        // description, YAML of the profile's fields (indented under profiles.p), marker of the line at fault, field
        { "unknown field", "colour: blue", "colour: blue", "profiles.p.colour" },
        { "wrong type", "min_approvers: two", "min_approvers: two", "profiles.p.min_approvers" },
        { "min_approvers 0", "min_approvers: 0", "min_approvers: 0", "profiles.p.min_approvers" },
        { "min_approvers 101", "min_approvers: 101", "min_approvers: 101", "profiles.p.min_approvers" },
        { "fractional approvers", "min_approvers: 1.5", "min_approvers: 1.5", "profiles.p.min_approvers" },
        { "ttl 0", "default_ttl_days: 0", "default_ttl_days: 0", "profiles.p.default_ttl_days" },
        { "ttl over 100 years", "max_ttl_days: 36501", "max_ttl_days: 36501", "profiles.p.max_ttl_days" },
        { "bad date", "effective_from: next tuesday", "effective_from: next tuesday", "profiles.p.effective_from" },
        { "date not a string", "effective_until: 20270101", "effective_until: 20270101", "profiles.p.effective_until" },
        { "date without offset", "effective_from: \"2026-01-01T00:00:00\"", "effective_from", "profiles.p.effective_from" },
        { "date only", "effective_until: \"2027-01-01\"", "effective_until", "profiles.p.effective_until" },
        { "no environments", "environments: []", "environments: []", "profiles.p.environments" },
        { "duplicate environment", "environments: [dev, dev]", "environments: [dev, dev]", "profiles.p.environments" },
        { "bad environment name", "environments:\n  - dev\n  - prod/eu", "- prod/eu", "profiles.p.environments[1]" },
        { "per-environment approvers 0", "min_approvers_by_environment:\n  dev: 0", "dev: 0", "profiles.p.min_approvers_by_environment.dev" },
        { "unknown bound", "metrics:\n  accuracy: { minimum: 0.9 }", "accuracy: { minimum", "profiles.p.metrics.accuracy.minimum" },
        { "bound not a number", "metrics:\n  accuracy:\n    min: high", "min: high", "profiles.p.metrics.accuracy.min" },
        { "empty bound", "metrics:\n  accuracy: {}", "accuracy: {}", "profiles.p.metrics.accuracy" },
        { "card field not a string", "required_card_fields: [owner, [a]]", "required_card_fields", "profiles.p.required_card_fields[1]" },
        { "unknown drift threshold", "drift:\n  max_loss: 0.2", "max_loss: 0.2", "profiles.p.drift.max_loss" },
        { "min_accuracy_ratio over 1", "drift:\n  min_accuracy_ratio: 1.5", "min_accuracy_ratio: 1.5", "profiles.p.drift.min_accuracy_ratio" },
        { "min_samples 1", "drift:\n  min_samples: 1", "min_samples: 1", "profiles.p.drift.min_samples" },
        { "auto_revoke not a boolean", "auto_revoke: maybe", "auto_revoke: maybe", "profiles.p.auto_revoke" },
        { "auto_revoke_severity over 1", "auto_revoke_severity: 1.5", "auto_revoke_severity: 1.5", "profiles.p.auto_revoke_severity" },
        { "extends not a name", "extends: [base]", "extends: [base]", "profiles.p.extends" },
    };

    [Theory]
    [MemberData(nameof(SchemaErrors))]
    public void A_schema_error_names_the_file_line_and_field(string description, string fields, string marker, string field)
    {
        var yaml = ProfileP(fields);

        var error = Refused(yaml);

        Assert.True(LineOf(yaml, marker) == error.Line, $"{description}: expected line {LineOf(yaml, marker)}, got {error.Message}");
        Assert.True(field == error.Field, $"{description}: expected field {field}, got {error.Message}");
        Assert.Equal(File, error.File);
        Assert.Contains($"line {error.Line}", error.Message, StringComparison.Ordinal);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_without_version_names_the_profile()
    {
        const string yaml = """
            profiles:
              p:
                environments: [dev]
                min_approvers: 1
                default_ttl_days: 1
                max_ttl_days: 1
            """;

        var error = Refused(yaml);

        Assert.Equal((LineOf(yaml, "p:"), "profiles.p.version"), (error.Line, error.Field));
    }

    [Fact]
    public void A_missing_required_field_without_extends_names_the_profile_and_the_field()
    {
        const string yaml = """
            profiles:
              p:
                version: "1"
                min_approvers: 1
                default_ttl_days: 1
                max_ttl_days: 1
            """;

        var error = Refused(yaml);

        Assert.Equal((LineOf(yaml, "p:"), "profiles.p.environments"), (error.Line, error.Field));
        Assert.Contains("required", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version: 2\nprofiles:\n  p: { version: \"1\", environments: [dev], min_approvers: 1, default_ttl_days: 1, max_ttl_days: 1 }", "version: 2", "version")]
    [InlineData("owner: me\nprofiles:\n  p: { version: \"1\", environments: [dev], min_approvers: 1, default_ttl_days: 1, max_ttl_days: 1 }", "owner: me", "owner")]
    [InlineData("version: 1\nprofiles: {}", "profiles: {}", "profiles")]
    [InlineData("version: 1\nprofiles:\n  p: [dev]", "p: [dev]", "profiles.p")]
    public void A_top_level_schema_error_names_its_line_and_field(string yaml, string marker, string field)
    {
        var error = Refused(yaml);

        Assert.Equal((LineOf(yaml, marker), field), (error.Line, error.Field));
    }

    [Fact]
    public void A_file_without_profiles_is_refused()
    {
        var error = Refused("version: 1\n");

        Assert.Equal(1, error.Line);
        Assert.Contains("profiles", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_mapping_is_refused_at_line_1()
    {
        var error = Refused("- default\n- strict\n");

        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void A_yaml_syntax_error_names_its_line()
    {
        var yaml = ProfileP("min_approvers: 1: 2");

        var error = Refused(yaml);

        Assert.Equal(LineOf(yaml, "min_approvers: 1: 2"), error.Line);
        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unclosed_flow_sequence_is_a_yaml_error()
    {
        const string yaml = "profiles:\n  p:\n    version: \"1\"\n    environments: [dev, staging\n    min_approvers: 1\n";

        var error = Refused(yaml);

        Assert.InRange(error.Line, 4, 5);
        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_documents_are_refused_at_the_second()
    {
        const string yaml = """
            ---
            profiles:
              p: { version: "1", environments: [dev], min_approvers: 1, default_ttl_days: 1, max_ttl_days: 1 }
            ---
            profiles:
              q: { version: "1", environments: [dev], min_approvers: 1, default_ttl_days: 1, max_ttl_days: 1 }
            """;

        var error = Refused(yaml);

        Assert.Equal(4, error.Line);
        Assert.Contains("one YAML document", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        var error = Refused("");

        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void A_duplicate_key_is_a_policy_file_error_at_the_duplicate()
    {
        var yaml = ProfileP("min_approvers: 2\nmin_approvers: 3");

        var error = Refused(yaml);

        Assert.Equal(LineOf(yaml, "min_approvers: 3"), error.Line);
        Assert.Contains("not valid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_ttl_above_max_ttl_is_refused()
    {
        var yaml = ProfileP("default_ttl_days: 91\nmax_ttl_days: 90");

        var error = Refused(yaml);

        Assert.Equal((LineOf(yaml, "default_ttl_days: 91"), "profiles.p.default_ttl_days"), (error.Line, error.Field));
        Assert.Contains("exceeds max_ttl_days 90", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("min_approvers_by_environment: { qa: 2 }", "min_approvers_by_environment", "profiles.p.min_approvers_by_environment.qa")]
    [InlineData("metrics: { accuracy: { min: 0.9, max: 0.8 } }", "metrics:", "profiles.p.metrics.accuracy")]
    [InlineData("effective_from: \"2027-01-01T00:00:00Z\"\neffective_until: \"2026-01-01T00:00:00Z\"", "effective_until", "profiles.p.effective_until")]
    public void Rules_beyond_the_schema_name_their_line_and_field(string fields, string marker, string field)
    {
        var yaml = ProfileP(fields);

        var error = Refused(yaml);

        Assert.Equal((LineOf(yaml, marker), field), (error.Line, error.Field));
    }

    [Fact]
    public void A_child_inherits_what_it_does_not_set()
    {
        var profiles = PolicyFileLoader.Load(File, Base);

        var parent = profiles["base"];
        var child = profiles["child"];
        Assert.Equal(("child", "2"), (child.Name, child.Version));
        Assert.Equal(parent with { Name = "child", Version = "2" }, child with
        {
            Environments = parent.Environments,
            MinApproversByEnvironment = parent.MinApproversByEnvironment,
            Metrics = parent.Metrics,
            RequiredCardFields = parent.RequiredCardFields,
        });
        Assert.Equal(parent.Environments, child.Environments);
        Assert.Equal(parent.MinApproversByEnvironment, child.MinApproversByEnvironment);
        Assert.Equal(parent.Metrics, child.Metrics);
        Assert.Equal(parent.RequiredCardFields, child.RequiredCardFields);
        Assert.Equal(parent.DriftOrDefault, child.DriftOrDefault);
    }

    [Fact]
    public void A_child_may_narrow_everything()
    {
        var yaml = Child("""
            environments: [production]
            min_approvers: 3
            min_approvers_by_environment: { production: 4 }
            default_ttl_days: 7
            max_ttl_days: 14
            metrics:
              accuracy: { min: 0.95 }
              harmful_rate: { min: 0, max: 0.001 }
              recall: { min: 0.5 }
            required_card_fields: [owner, intended_use]
            effective_from: "2026-02-01T00:00:00Z"
            effective_until: "2026-12-01T00:00:00Z"
            auto_revoke_severity: 0.5
            drift: { max_loss_increase: 0.05, min_accuracy_ratio: 0.99, confidence_threshold: 0.5, ks_threshold: 0.05, psi_threshold: 0.1, min_samples: 10 }
            """);

        var child = PolicyFileLoader.Load(File, yaml)["child"];

        Assert.Equal(["production"], child.Environments);
        Assert.Equal((3, 4), (child.MinApprovers, child.MinApproversByEnvironment["production"]));
        Assert.Equal((7.0, 14.0), (child.DefaultTtlDays, child.MaxTtlDays));
        Assert.Equal(new MetricBound(0.95, null), child.Metrics["accuracy"]);
        Assert.Equal(new MetricBound(0, 0.001), child.Metrics["harmful_rate"]);
        Assert.Equal(new MetricBound(0.5, null), child.Metrics["recall"]);
        Assert.Equal(["owner", "intended_use"], child.RequiredCardFields);
        Assert.Equal(0.5, child.AutoRevokeSeverity);
        Assert.True(child.RevokeOnDistributionDrift);
        Assert.Equal(new DriftThresholds(0.05, 0.99, 0.5, 0.05, 0.1, 10), child.Drift);
    }

    public static TheoryData<string, string, string> Widenings => new()
    {
        // the child's line, marker of the line at fault, field
        { "environments: [staging, production, dev]", "environments:", "profiles.child.environments" },
        { "min_approvers: 1", "min_approvers: 1", "profiles.child.min_approvers" },
        { "min_approvers_by_environment: { production: 2 }", "min_approvers_by_environment", "profiles.child.min_approvers_by_environment.production" },
        { "default_ttl_days: 31", "default_ttl_days: 31", "profiles.child.default_ttl_days" },
        { "max_ttl_days: 91", "max_ttl_days: 91", "profiles.child.max_ttl_days" },
        { "metrics: { accuracy: { min: 0.85 } }", "metrics:", "profiles.child.metrics.accuracy" },
        { "metrics: { harmful_rate: { max: 0.01 } }", "metrics:", "profiles.child.metrics.harmful_rate" },
        { "metrics: { accuracy: { max: 1 } }", "metrics:", "profiles.child.metrics.accuracy" },
        { "required_card_fields: [intended_use]", "required_card_fields", "profiles.child.required_card_fields" },
        { "auto_revoke: false", "auto_revoke: false", "profiles.child.auto_revoke" },
        { "auto_revoke_severity: 0.75", "auto_revoke_severity: 0.75", "profiles.child.auto_revoke_severity" },
        { "revoke_on_distribution_drift: false", "revoke_on_distribution_drift", "profiles.child.revoke_on_distribution_drift" },
        { "effective_from: \"2025-12-31T23:59:59Z\"", "effective_from", "profiles.child.effective_from" },
        { "effective_until: \"2027-01-01T00:00:01Z\"", "effective_until", "profiles.child.effective_until" },
    };

    [Theory]
    [MemberData(nameof(Widenings))]
    public void A_child_that_widens_its_parent_is_refused(string line, string marker, string field)
    {
        var yaml = Child(line);

        var error = Refused(yaml);

        Assert.Equal((LineOf(yaml, marker, after: "child:"), field), (error.Line, error.Field));
        Assert.Contains("'base'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("max_loss_increase: 0.2")]
    [InlineData("min_accuracy_ratio: 0.95")]
    [InlineData("confidence_threshold: 0.9")]
    [InlineData("ks_threshold: 0.1")]
    [InlineData("psi_threshold: 0.2")]
    [InlineData("min_samples: 30")]
    public void A_child_with_a_looser_drift_threshold_is_refused(string threshold)
    {
        var yaml = Child($"drift: {{ {threshold} }}");

        var error = Refused(yaml);

        Assert.Equal(LineOf(yaml, "drift:", after: "child:"), error.Line);
        Assert.StartsWith("profiles.child.drift", error.Field, StringComparison.Ordinal);
        Assert.Contains("'base'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extending_an_unknown_profile_is_refused()
    {
        var yaml = Base.Replace("extends: base", "extends: bsae", StringComparison.Ordinal);

        var error = Refused(yaml);

        Assert.Equal((LineOf(yaml, "extends: bsae"), "profiles.child.extends"), (error.Line, error.Field));
        Assert.Contains("'bsae'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_extends_cycle_is_refused()
    {
        const string yaml = """
            profiles:
              a:
                version: "1"
                extends: b
              b:
                version: "1"
                extends: a
            """;

        var error = Refused(yaml);

        Assert.True(error.Field is "profiles.a.extends" or "profiles.b.extends", error.Message);
        Assert.Equal(LineOf(yaml, $"extends: {(error.Field == "profiles.a.extends" ? "b" : "a")}"), error.Line);
        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_extending_itself_is_refused()
    {
        const string yaml = """
            profiles:
              a:
                version: "1"
                extends: a
            """;

        var error = Refused(yaml);

        Assert.Equal((4, "profiles.a.extends"), (error.Line, error.Field));
    }

    [Fact]
    public void A_missing_file_is_a_policy_file_error_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-policy-{Guid.NewGuid():N}.yaml");

        var error = Assert.Throws<PolicyFileException>(() => PolicyFileLoader.LoadFile(path));

        Assert.Equal(path, error.File);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_with_an_invalid_policy_file_refuses_to_start()
    {
        var path = Path.Combine(Path.GetTempPath(), $"invalid-policy-{Guid.NewGuid():N}.yaml");
        await System.IO.File.WriteAllTextAsync(path, ProfileP("min_approvers: 0"));
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Services.AddGovernanceDomain(builder.Configuration);
            builder.Services.Configure<PolicyOptions>(options => options.File = path);
            using var host = builder.Build();

            var error = await Assert.ThrowsAsync<PolicyFileException>(() => host.StartAsync());

            Assert.Equal((path, 3, "profiles.p.min_approvers"), (error.File, error.Line, error.Field));
            Assert.Contains($"Policy file {path}, line 3, field profiles.p.min_approvers", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public async Task A_silo_with_a_valid_policy_file_serves_its_profiles()
    {
        var path = Path.Combine(Path.GetTempPath(), $"valid-policy-{Guid.NewGuid():N}.yaml");
        await System.IO.File.WriteAllTextAsync(path, Base);
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Services.AddGovernanceDomain(builder.Configuration);
            builder.Services.Configure<PolicyOptions>(options => options.File = path);
            using var host = builder.Build();
            await host.StartAsync();

            var catalog = host.Services.GetRequiredService<IPolicyCatalog>();

            Assert.Equal("2", catalog.Find("child")?.Version);
            Assert.Null(catalog.Find("default"));
            await host.StopAsync();
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    /// <summary>
    /// A file with one profile <c>p</c> holding every required field plus <paramref name="fields"/>
    /// (lines of the profile, before any required field they override). <c>p:</c> is line 2;
    /// the first of <paramref name="fields"/> is line 3 and the required fields follow them.
    /// </summary>
    private static string ProfileP(string fields)
    {
        var own = fields.Split('\n').Select(l => "    " + l).ToList();
        var names = own.Select(l => l.Trim().Split(':')[0]).ToHashSet(StringComparer.Ordinal);
        string[] required = ["version: \"1\"", "environments: [dev, staging, production]", "min_approvers: 1", "default_ttl_days: 1", "max_ttl_days: 1"];
        return string.Join('\n', ["profiles:", "  p:", .. own, .. required.Where(r => !names.Contains(r.Split(':')[0])).Select(r => "    " + r)]) + "\n";
    }

    /// <summary><see cref="Base"/> with <paramref name="fields"/> added to the child.</summary>
    private static string Child(string fields) =>
        Base + "\n" + string.Join('\n', fields.Split('\n').Select(l => "    " + l)) + "\n";

    private static PolicyFileException Refused(string yaml) => Assert.Throws<PolicyFileException>(() => PolicyFileLoader.Load(File, yaml));

    /// <summary>The 1-based line of the first line containing <paramref name="marker"/> (after the line containing <paramref name="after"/>).</summary>
    private static int LineOf(string yaml, string marker, string? after = null)
    {
        var lines = yaml.Split('\n');
        var start = after is null ? 0 : Array.FindIndex(lines, l => l.Contains(after, StringComparison.Ordinal));
        var index = Array.FindIndex(lines, start, l => l.Contains(marker, StringComparison.Ordinal));
        Assert.True(index >= 0, $"'{marker}' is not in the YAML:\n{yaml}");
        return index + 1;
    }
}
