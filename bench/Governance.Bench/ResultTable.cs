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

    /// <param name="previous">
    /// Figures of an earlier run by measure (result and ratio, <see cref="ReadPrevious"/>), shown in a
    /// column headed <paramref name="previousLabel"/>; none when null.
    /// </param>
    public string ToMarkdown(IReadOnlyDictionary<string, string>? previous = null, string previousLabel = "previous")
    {
        var text = new StringBuilder();
        if (previous is null)
        {
            text.AppendLine("| | measure | result | same-run baseline | ratio | target | |")
                .AppendLine("|---|---|---|---|---|---|---|");
        }
        else
        {
            text.AppendLine($"| | measure | result | same-run baseline | ratio | target | | {previousLabel} |")
                .AppendLine("|---|---|---|---|---|---|---|---|");
        }

        foreach (var row in _rows)
        {
            text.Append("| ").AppendJoin(" | ", row);
            if (previous is not null)
            {
                text.Append(" | ").Append(previous.TryGetValue(row[1], out var before) ? before : "—");
            }

            text.AppendLine(" |");
        }

        return text.ToString();
    }

    /// <summary>
    /// The rows of a results table written earlier (<c>bench/results/*.md</c>) by measure: its result,
    /// with its ratio in brackets when it has one.
    /// </summary>
    public static Dictionary<string, string> ReadPrevious(string path)
    {
        var figures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith("| ", StringComparison.Ordinal))
            {
                continue;
            }

            var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length < 5 || cells[1] is "measure" or "" || cells[1].StartsWith("---", StringComparison.Ordinal))
            {
                continue;
            }

            figures.TryAdd(cells[1], cells[4].Length > 0 ? $"{cells[2]} (ratio {cells[4]})" : cells[2]);
        }

        return figures;
    }
}
