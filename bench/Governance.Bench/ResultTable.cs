using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Governance.Bench;

/// <summary>Rows of the results table, rendered as Markdown.</summary>
public sealed class ResultTable
{
    private readonly List<string[]> _rows = [];

    /// <param name="wrk">A wrk summary whose error counts, when any, are shown beside the figure.</param>
    /// <param name="met">Whether the target is met; null when there is no target or no figure.</param>
    public void Add(string section, string measure, string result, string baseline, double? ratio, string target, JsonObject? wrk, bool? met = null)
    {
        var errors = wrk is null ? 0 : new[] { "errors_connect", "errors_read", "errors_write", "errors_status", "errors_timeout" }
            .Sum(name => wrk[name] is JsonValue value && value.TryGetValue<long>(out var n) ? n : 0);
        _rows.Add([
            section,
            measure,
            errors > 0 ? $"{result} ({errors} errors)" : result,
            baseline,
            ratio is { } r ? r.ToString("F3", CultureInfo.InvariantCulture) : "",
            target,
            met switch { true => "met", false => "**missed**", null => "" },
        ]);
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder()
            .AppendLine("| | measure | result | same-run baseline | ratio | target | |")
            .AppendLine("|---|---|---|---|---|---|---|");
        foreach (var row in _rows)
        {
            text.Append("| ").AppendJoin(" | ", row).AppendLine(" |");
        }

        return text.ToString();
    }
}
