using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Governance.Canonical;
using Governance.Grains.Models;
using Governance.Grains.Wire;

namespace Governance.Grains.Policy;

/// <summary>
/// Evaluates a submission against a profile. Pure: the same profile and inputs give the same
/// failures and hashes. Every failure is listed, not just the first. Bounds are inclusive.
/// </summary>
public static class PolicyEvaluator
{
    public static PolicyEvaluation Evaluate(
        PolicyProfile profile,
        TrainingRecord training,
        IReadOnlyList<string> environments,
        int requiredApprovers,
        TimeSpan ttl,
        DateTimeOffset now)
    {
        var failures = new List<PolicyFailure>();
        if (profile.EffectiveFrom is { } from && now < from)
        {
            failures.Add(new("effective_from", Rfc3339.Seconds(now), Rfc3339.Seconds(from), $"Profile '{profile.Name}' is not in effect before {Rfc3339.Seconds(from)}."));
        }

        if (profile.EffectiveUntil is { } until && now >= until)
        {
            failures.Add(new("effective_until", Rfc3339.Seconds(now), Rfc3339.Seconds(until), $"Profile '{profile.Name}' stopped being in effect at {Rfc3339.Seconds(until)}."));
        }

        foreach (var environment in environments.Where(e => !profile.Environments.Contains(e, StringComparer.Ordinal)))
        {
            failures.Add(new("environment", environment, string.Join(",", profile.Environments), $"Environment '{environment}' is not allowed by profile '{profile.Name}'."));
        }

        var minApprovers = environments
            .Select(e => profile.MinApproversByEnvironment.GetValueOrDefault(e, profile.MinApprovers))
            .DefaultIfEmpty(profile.MinApprovers)
            .Max();
        if (requiredApprovers < minApprovers)
        {
            failures.Add(new("min_approvers", Number(requiredApprovers), Number(minApprovers), $"At least {minApprovers} approvers are required."));
        }

        var ttlDays = ttl.TotalDays;
        if (ttlDays > profile.MaxTtlDays)
        {
            failures.Add(new("max_ttl_days", Number(ttlDays), Number(profile.MaxTtlDays), $"The approval TTL exceeds {Number(profile.MaxTtlDays)} days."));
        }

        foreach (var (metric, bound) in profile.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (!training.Metrics.TryGetValue(metric, out var value))
            {
                failures.Add(new($"metrics.{metric}", null, Describe(bound), $"Metric '{metric}' is missing from the training output."));
            }
            else if (bound.Min is { } min && value < min)
            {
                failures.Add(new($"metrics.{metric}.min", Number(value), Number(min), $"Metric '{metric}' is {Number(value)}, below the minimum {Number(min)}."));
            }
            else if (bound.Max is { } max && value > max)
            {
                failures.Add(new($"metrics.{metric}.max", Number(value), Number(max), $"Metric '{metric}' is {Number(value)}, above the maximum {Number(max)}."));
            }
        }

        foreach (var field in profile.RequiredCardFields)
        {
            if (training.Card.ValueKind != JsonValueKind.Object || !training.Card.TryGetProperty(field, out _))
            {
                failures.Add(new($"card.{field}", null, "present", $"Card field '{field}' is required."));
            }
        }

        var inputs = new JsonObject
        {
            ["weights_hash"] = training.WeightsHash,
            ["metrics"] = new JsonObject([.. training.Metrics.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)JsonValue.Create(m.Value)))]),
            ["approved_environments"] = new JsonArray([.. environments.Select(e => JsonValue.Create(e))]),
            ["required_approvers"] = requiredApprovers,
            ["ttl_seconds"] = (long)ttl.TotalSeconds,
            ["card_fields"] = new JsonArray([.. CardFields(training.Card).Select(f => JsonValue.Create(f))]),
        };
        return new PolicyEvaluation(profile.Name, profile.Version, Sha256(Describe(profile)), Sha256(CanonicalJson.Serialize(inputs)), failures);
    }

    private static IEnumerable<string> CardFields(JsonElement card) =>
        card.ValueKind == JsonValueKind.Object
            ? card.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)
            : [];

    private static string Describe(PolicyProfile profile)
    {
        var node = new JsonObject
        {
            ["name"] = profile.Name,
            ["version"] = profile.Version,
            ["environments"] = new JsonArray([.. profile.Environments.Select(e => JsonValue.Create(e))]),
            ["min_approvers"] = profile.MinApprovers,
            ["min_approvers_by_environment"] = new JsonObject([.. profile.MinApproversByEnvironment.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))]),
            ["default_ttl_days"] = profile.DefaultTtlDays,
            ["max_ttl_days"] = profile.MaxTtlDays,
            ["metrics"] = new JsonObject([.. profile.Metrics.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)new JsonObject { ["min"] = p.Value.Min, ["max"] = p.Value.Max }))]),
            ["required_card_fields"] = new JsonArray([.. profile.RequiredCardFields.Select(f => JsonValue.Create(f))]),
            ["effective_from"] = profile.EffectiveFrom is { } from ? Rfc3339.Seconds(from) : null,
            ["effective_until"] = profile.EffectiveUntil is { } until ? Rfc3339.Seconds(until) : null,
            ["auto_revoke"] = profile.AutoRevoke,
            ["auto_revoke_severity"] = profile.AutoRevokeSeverity,
            ["revoke_on_distribution_drift"] = profile.RevokeOnDistributionDrift,
            ["drift"] = new JsonObject
            {
                ["max_loss_increase"] = profile.DriftOrDefault.MaxLossIncrease,
                ["min_accuracy_ratio"] = profile.DriftOrDefault.MinAccuracyRatio,
                ["confidence_threshold"] = profile.DriftOrDefault.ConfidenceThreshold,
                ["ks_threshold"] = profile.DriftOrDefault.KsThreshold,
                ["psi_threshold"] = profile.DriftOrDefault.PsiThreshold,
                ["min_samples"] = profile.DriftOrDefault.MinSamples,
            },
        };
        return CanonicalJson.Serialize(node);
    }

    private static string Describe(MetricBound bound) =>
        bound switch
        {
            { Min: { } min, Max: { } max } => $"[{Number(min)}, {Number(max)}]",
            { Min: { } min } => $">= {Number(min)}",
            { Max: { } max } => $"<= {Number(max)}",
            _ => "present",
        };

    private static string Number(double value) => EcmaScriptNumber.Format(value);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
