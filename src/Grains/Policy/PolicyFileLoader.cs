using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Governance.Canonical;
using NJsonSchema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Governance.Grains.Policy;

/// <summary>
/// Reads policy profiles from YAML: validates the file against the embedded JSON Schema, checks
/// what a schema cannot (TTL and bound order, <c>extends</c> that may only narrow), and names the
/// file, line and field of the first problem in a <see cref="PolicyFileException"/>.
/// </summary>
public static partial class PolicyFileLoader
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromJsonAsync(ReadResource("policy-profiles.schema.json")).GetAwaiter().GetResult());

    /// <summary>The shipped development profiles (<c>default</c> and <c>strict</c>).</summary>
    public static IReadOnlyDictionary<string, PolicyProfile> LoadDevelopmentProfiles() =>
        Load("development-profiles.yaml (embedded)", ReadResource("development-profiles.yaml"));

    public static IReadOnlyDictionary<string, PolicyProfile> LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PolicyFileException(path, 0, "", $"cannot be read: {exception.Message}", exception);
        }

        return Load(path, text);
    }

    public static IReadOnlyDictionary<string, PolicyProfile> Load(string fileName, string yamlText)
    {
        var document = YamlDocumentAsJson.Convert(fileName, yamlText);
        var first = Innermost(Schema.Value.Validate(document.JsonText)).OrderBy(e => e.LineNumber).FirstOrDefault();
        if (first is not null)
        {
            var field = first.Path?.TrimStart('#', '/') ?? first.Property ?? "";
            throw new PolicyFileException(fileName, document.YamlLineOfJsonLine(first.LineNumber), field, Describe(first.Kind.ToString()));
        }

        var raw = JsonNode.Parse(document.JsonText)!["profiles"]!.AsObject();
        var resolved = new Dictionary<string, PolicyProfile>(StringComparer.Ordinal);
        foreach (var (name, _) in raw)
        {
            Resolve(name, raw, resolved, document, fileName, []);
        }

        return resolved;
    }

    private static PolicyProfile Resolve(
        string name, JsonObject raw, Dictionary<string, PolicyProfile> resolved, YamlDocumentAsJson document, string fileName, HashSet<string> visiting)
    {
        if (resolved.TryGetValue(name, out var done))
        {
            return done;
        }

        var path = $"profiles.{name}";
        var node = raw[name]!.AsObject();
        if (!visiting.Add(name))
        {
            throw new PolicyFileException(fileName, document.LineOf($"{path}.extends"), $"{path}.extends", "extends forms a cycle");
        }

        PolicyProfile? parent = null;
        if (node["extends"]?.GetValue<string>() is { } parentName)
        {
            if (!raw.ContainsKey(parentName))
            {
                throw new PolicyFileException(fileName, document.LineOf($"{path}.extends"), $"{path}.extends", $"extends unknown profile '{parentName}'");
            }

            parent = Resolve(parentName, raw, resolved, document, fileName, visiting);
        }
        else
        {
            foreach (var required in new[] { "environments", "min_approvers", "default_ttl_days", "max_ttl_days" })
            {
                if (!node.ContainsKey(required))
                {
                    throw new PolicyFileException(fileName, document.LineOf(path), $"{path}.{required}", "is required (the profile does not extend another)");
                }
            }
        }

        foreach (var field in new[] { "effective_from", "effective_until" })
        {
            if (node[field] is { } instant && !Rfc3339Instant().IsMatch(instant.GetValue<string>()))
            {
                throw new PolicyFileException(fileName, document.LineOf($"{path}.{field}"), $"{path}.{field}", "must be an RFC 3339 time with an offset, e.g. 2026-01-01T00:00:00Z");
            }
        }

        var profile = Build(name, node, parent);
        Check(profile, parent, path, document, fileName);
        resolved[name] = profile;
        return profile;
    }

    private static PolicyProfile Build(string name, JsonObject node, PolicyProfile? parent)
    {
        var drift = node["drift"] as JsonObject;
        var inheritedDrift = parent?.DriftOrDefault ?? DriftThresholds.Default;
        return new PolicyProfile(
            Name: name,
            Version: node["version"]!.ToJsonString().Trim('"'),
            Environments: node["environments"] is JsonArray environments ? [.. environments.Select(e => e!.GetValue<string>())] : parent!.Environments,
            MinApprovers: node["min_approvers"]?.GetValue<int>() ?? parent!.MinApprovers,
            MinApproversByEnvironment: node["min_approvers_by_environment"] is JsonObject byEnvironment
                ? byEnvironment.ToDictionary(p => p.Key, p => p.Value!.GetValue<int>(), StringComparer.Ordinal)
                : parent?.MinApproversByEnvironment ?? new Dictionary<string, int>(StringComparer.Ordinal),
            DefaultTtlDays: node["default_ttl_days"]?.GetValue<double>() ?? parent!.DefaultTtlDays,
            MaxTtlDays: node["max_ttl_days"]?.GetValue<double>() ?? parent!.MaxTtlDays,
            Metrics: MergeMetrics(node["metrics"] as JsonObject, parent),
            RequiredCardFields: node["required_card_fields"] is JsonArray fields
                ? [.. fields.Select(f => f!.GetValue<string>())]
                : parent?.RequiredCardFields ?? [],
            EffectiveFrom: node["effective_from"] is { } from ? DateTimeOffset.Parse(from.GetValue<string>(), CultureInfo.InvariantCulture) : parent?.EffectiveFrom,
            EffectiveUntil: node["effective_until"] is { } until ? DateTimeOffset.Parse(until.GetValue<string>(), CultureInfo.InvariantCulture) : parent?.EffectiveUntil,
            AutoRevoke: node["auto_revoke"]?.GetValue<bool>() ?? parent?.AutoRevoke ?? true,
            AutoRevokeSeverity: node["auto_revoke_severity"]?.GetValue<double>() ?? parent?.AutoRevokeSeverity ?? 0.8,
            Drift: drift is null
                ? parent?.Drift
                : new DriftThresholds(
                    drift["max_loss_increase"]?.GetValue<double>() ?? inheritedDrift.MaxLossIncrease,
                    drift["min_accuracy_ratio"]?.GetValue<double>() ?? inheritedDrift.MinAccuracyRatio,
                    drift["confidence_threshold"]?.GetValue<double>() ?? inheritedDrift.ConfidenceThreshold,
                    drift["ks_threshold"]?.GetValue<double>() ?? inheritedDrift.KsThreshold,
                    drift["psi_threshold"]?.GetValue<double>() ?? inheritedDrift.PsiThreshold,
                    drift["min_samples"]?.GetValue<int>() ?? inheritedDrift.MinSamples),
            RevokeOnDistributionDrift: node["revoke_on_distribution_drift"]?.GetValue<bool>() ?? parent?.RevokeOnDistributionDrift ?? false);
    }

    /// <summary>A child's metric bounds replace its parent's per metric; metrics it does not name are inherited.</summary>
    private static Dictionary<string, MetricBound> MergeMetrics(JsonObject? metrics, PolicyProfile? parent)
    {
        var merged = new Dictionary<string, MetricBound>(parent?.Metrics ?? new Dictionary<string, MetricBound>(), StringComparer.Ordinal);
        foreach (var (metric, bound) in metrics ?? [])
        {
            merged[metric] = new MetricBound(bound!["min"]?.GetValue<double>(), bound["max"]?.GetValue<double>());
        }

        return merged;
    }

    /// <summary>Rules beyond the schema; for a profile that extends another, that it only narrows it.</summary>
    private static void Check(PolicyProfile profile, PolicyProfile? parent, string path, YamlDocumentAsJson document, string fileName)
    {
        void Fail(string field, string message) =>
            throw new PolicyFileException(fileName, document.LineOf($"{path}.{field}", path), $"{path}.{field}", message);

        if (profile.DefaultTtlDays > profile.MaxTtlDays)
        {
            Fail("default_ttl_days", $"default_ttl_days {Number(profile.DefaultTtlDays)} exceeds max_ttl_days {Number(profile.MaxTtlDays)}");
        }

        foreach (var (environment, _) in profile.MinApproversByEnvironment.Where(p => !profile.Environments.Contains(p.Key, StringComparer.Ordinal)))
        {
            Fail($"min_approvers_by_environment.{environment}", $"environment '{environment}' is not among the profile's environments");
        }

        foreach (var (metric, bound) in profile.Metrics.Where(m => m.Value.Min > m.Value.Max))
        {
            Fail($"metrics.{metric}", $"min {Number(bound.Min!.Value)} is above max {Number(bound.Max!.Value)}");
        }

        if (profile.EffectiveFrom >= profile.EffectiveUntil)
        {
            Fail("effective_until", "effective_until must be after effective_from");
        }

        if (parent is null)
        {
            return;
        }

        var widening = profile.Environments.FirstOrDefault(e => !parent.Environments.Contains(e, StringComparer.Ordinal));
        if (widening is not null)
        {
            Fail("environments", $"adds environment '{widening}' that '{parent.Name}' does not allow (extends may only narrow)");
        }

        if (profile.MinApprovers < parent.MinApprovers)
        {
            Fail("min_approvers", $"{profile.MinApprovers} is fewer than the {parent.MinApprovers} of '{parent.Name}'");
        }

        foreach (var environment in profile.Environments)
        {
            var mine = profile.MinApproversByEnvironment.GetValueOrDefault(environment, profile.MinApprovers);
            var theirs = parent.MinApproversByEnvironment.GetValueOrDefault(environment, parent.MinApprovers);
            if (mine < theirs)
            {
                Fail($"min_approvers_by_environment.{environment}", $"{mine} is fewer than the {theirs} of '{parent.Name}' for {environment}");
            }
        }

        if (profile.DefaultTtlDays > parent.DefaultTtlDays)
        {
            Fail("default_ttl_days", $"{Number(profile.DefaultTtlDays)} is longer than the {Number(parent.DefaultTtlDays)} of '{parent.Name}'");
        }

        if (profile.MaxTtlDays > parent.MaxTtlDays)
        {
            Fail("max_ttl_days", $"{Number(profile.MaxTtlDays)} is longer than the {Number(parent.MaxTtlDays)} of '{parent.Name}'");
        }

        foreach (var (metric, bound) in parent.Metrics)
        {
            var mine = profile.Metrics[metric];
            if ((bound.Min is { } min && (mine.Min is null || mine.Min < min)) || (bound.Max is { } max && (mine.Max is null || mine.Max > max)))
            {
                Fail($"metrics.{metric}", $"loosens the bound of '{parent.Name}' on {metric}");
            }
        }

        var dropped = parent.RequiredCardFields.FirstOrDefault(f => !profile.RequiredCardFields.Contains(f, StringComparer.Ordinal));
        if (dropped is not null)
        {
            Fail("required_card_fields", $"drops card field '{dropped}' that '{parent.Name}' requires");
        }

        if (parent.EffectiveFrom is { } parentFrom && !(profile.EffectiveFrom >= parentFrom))
        {
            Fail("effective_from", $"starts before the window of '{parent.Name}'");
        }

        if (parent.EffectiveUntil is { } parentUntil && !(profile.EffectiveUntil <= parentUntil))
        {
            Fail("effective_until", $"ends after the window of '{parent.Name}'");
        }

        if (parent.AutoRevoke && !profile.AutoRevoke)
        {
            Fail("auto_revoke", $"turns off the auto-revoke of '{parent.Name}'");
        }

        if (profile.AutoRevokeSeverity > parent.AutoRevokeSeverity)
        {
            Fail("auto_revoke_severity", $"{Number(profile.AutoRevokeSeverity)} revokes later than the {Number(parent.AutoRevokeSeverity)} of '{parent.Name}'");
        }

        if (parent.RevokeOnDistributionDrift && !profile.RevokeOnDistributionDrift)
        {
            Fail("revoke_on_distribution_drift", $"turns off the distribution revoke of '{parent.Name}'");
        }

        var (child, mother) = (profile.DriftOrDefault, parent.DriftOrDefault);
        if (child.MaxLossIncrease > mother.MaxLossIncrease || child.MinAccuracyRatio < mother.MinAccuracyRatio
            || child.KsThreshold > mother.KsThreshold || child.PsiThreshold > mother.PsiThreshold
            || child.ConfidenceThreshold > mother.ConfidenceThreshold || child.MinSamples > mother.MinSamples)
        {
            Fail("drift", $"loosens a drift threshold of '{parent.Name}'");
        }
    }

    /// <summary>A failed <c>$ref</c> or additionalProperties schema wraps the errors that say what is wrong.</summary>
    private static IEnumerable<NJsonSchema.Validation.ValidationError> Innermost(IEnumerable<NJsonSchema.Validation.ValidationError> errors) =>
        errors.SelectMany(error => error is NJsonSchema.Validation.ChildSchemaValidationError child && child.Errors.Values.Any(e => e.Count > 0)
            ? Innermost(child.Errors.Values.SelectMany(e => e))
            : [error]);

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial System.Text.RegularExpressions.Regex Rfc3339Instant();

    private static string Describe(string kind) =>
        string.Concat(kind.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static string Number(double value) => EcmaScriptNumber.Format(value);

    private static string ReadResource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource {name} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>A YAML document rewritten as JSON text, remembering which YAML line each JSON line and path came from.</summary>
    private sealed class YamlDocumentAsJson
    {
        private readonly StringBuilder _json = new();
        private readonly List<int> _yamlLineOfJsonLine = [1];
        private readonly Dictionary<string, int> _lineOfPath = new(StringComparer.Ordinal);

        public string JsonText => _json.ToString();

        public static YamlDocumentAsJson Convert(string fileName, string yamlText)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(yamlText));
            }
            catch (YamlException exception)
            {
                throw new PolicyFileException(fileName, (int)exception.Start.Line, "", $"is not valid YAML: {exception.Message}", exception);
            }
            catch (InvalidOperationException exception)
            {
                // YamlDotNet reports some unterminated constructs (an unclosed [ or {) this way, without a position.
                var lastLine = yamlText.TrimEnd().Split('\n').Length;
                throw new PolicyFileException(fileName, lastLine, "", "is not valid YAML: a bracket or quote is not closed before the end of the file", exception);
            }

            if (stream.Documents.Count != 1)
            {
                var line = stream.Documents.Count > 1 ? DocumentStartLine(yamlText, 2) : 1;
                throw new PolicyFileException(fileName, line, "", "must hold exactly one YAML document");
            }

            var document = new YamlDocumentAsJson();
            document.Write(stream.Documents[0].RootNode, "");
            return document;
        }

        /// <summary>The line of the <paramref name="ordinal"/>-th <c>---</c> marker (or document) of the text.</summary>
        private static int DocumentStartLine(string yamlText, int ordinal)
        {
            var lines = yamlText.Split('\n');
            var seen = 0;
            for (var index = 0; index < lines.Length; index++)
            {
                if (lines[index].TrimEnd().StartsWith("---", StringComparison.Ordinal) && ++seen == ordinal)
                {
                    return index + 1;
                }
            }

            return 1;
        }

        public int YamlLineOfJsonLine(int jsonLine) =>
            jsonLine >= 1 && jsonLine <= _yamlLineOfJsonLine.Count ? _yamlLineOfJsonLine[jsonLine - 1] : 1;

        public int LineOf(string path, string? fallback = null) =>
            _lineOfPath.TryGetValue(path, out var line) ? line
            : fallback is not null && _lineOfPath.TryGetValue(fallback, out var other) ? other
            : 1;

        private void Write(YamlNode node, string path)
        {
            var line = (int)node.Start.Line;
            _lineOfPath[path] = line;
            switch (node)
            {
                case YamlMappingNode mapping:
                    _json.Append('{');
                    var firstProperty = true;
                    foreach (var (key, value) in mapping.Children)
                    {
                        var name = ((YamlScalarNode)key).Value ?? "";
                        _json.Append(firstProperty ? "" : ",");
                        NewLine((int)key.Start.Line);
                        _json.Append(CanonicalJson.Serialize(JsonValue.Create(name))).Append(':');
                        var childPath = path.Length == 0 ? name : $"{path}.{name}";
                        Write(value, childPath);

                        // A field is where its key stands, also when its value starts below it.
                        _lineOfPath[childPath] = (int)key.Start.Line;
                        firstProperty = false;
                    }

                    NewLine(line);
                    _json.Append('}');
                    break;
                case YamlSequenceNode sequence:
                    _json.Append('[');
                    for (var index = 0; index < sequence.Children.Count; index++)
                    {
                        _json.Append(index == 0 ? "" : ",");
                        NewLine((int)sequence.Children[index].Start.Line);
                        Write(sequence.Children[index], $"{path}[{index}]");
                    }

                    NewLine(line);
                    _json.Append(']');
                    break;
                case YamlScalarNode scalar:
                    _json.Append(ScalarJson(scalar));
                    break;
                default:
                    throw new InvalidOperationException($"Unexpected YAML node at line {line}.");
            }
        }

        private void NewLine(int yamlLine)
        {
            _json.Append('\n');
            _yamlLineOfJsonLine.Add(yamlLine);
        }

        private static string ScalarJson(YamlScalarNode scalar)
        {
            var text = scalar.Value ?? "";
            if (scalar.Style is ScalarStyle.Plain)
            {
                switch (text)
                {
                    case "" or "~" or "null" or "Null" or "NULL":
                        return "null";
                    case "true" or "True" or "TRUE":
                        return "true";
                    case "false" or "False" or "FALSE":
                        return "false";
                }

                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                {
                    return integer.ToString(CultureInfo.InvariantCulture);
                }

                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
                {
                    return EcmaScriptNumber.Format(number);
                }
            }

            return CanonicalJson.Serialize(JsonValue.Create(text));
        }
    }
}
