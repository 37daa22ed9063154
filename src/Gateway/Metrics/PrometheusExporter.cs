using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Governance.Gateway.Metrics;

/// <summary>
/// Sums the counters of the given meters per tag set and renders them in the Prometheus text
/// format for <c>/metrics</c> (the prometheus-net packages are not available to this project).
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Name, string Labels), long> _values = new();
    private readonly ConcurrentDictionary<(string Name, string Labels), long> _gauges = new();
    private readonly ConcurrentDictionary<string, string?> _descriptions = new();

    public PrometheusExporter(params string[] meterNames)
    {
        var meters = meterNames.ToHashSet(StringComparer.Ordinal);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (meters.Contains(instrument.Meter.Name) && instrument is Counter<long> or ObservableGauge<int> or ObservableGauge<long>)
            {
                _descriptions[MetricName(instrument.Name)] = instrument.Description;
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument is ObservableGauge<long>)
            {
                _gauges[(MetricName(instrument.Name), Labels(tags))] = value;
            }
            else
            {
                _values.AddOrUpdate((MetricName(instrument.Name), Labels(tags)), value, (_, current) => current + value);
            }
        });
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => _gauges[(MetricName(instrument.Name), Labels(tags))] = value);
        _listener.Start();
    }

    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        Append(text, _values, "counter");
        Append(text, _gauges, "gauge");
        return text.ToString();
    }

    private void Append(StringBuilder text, ConcurrentDictionary<(string Name, string Labels), long> series, string type)
    {
        foreach (var group in series.OrderBy(v => v.Key.Name, StringComparer.Ordinal).GroupBy(v => v.Key.Name))
        {
            text.Append("# HELP ").Append(group.Key).Append(' ').Append(_descriptions.GetValueOrDefault(group.Key) ?? group.Key).Append('\n');
            text.Append("# TYPE ").Append(group.Key).Append(' ').Append(type).Append('\n');
            foreach (var ((name, labels), value) in group.OrderBy(v => v.Key.Labels, StringComparer.Ordinal))
            {
                text.Append(name).Append(labels).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>Orleans names its instruments like <c>orleans-catalog-activations</c>; Prometheus allows [a-zA-Z0-9_:].</summary>
    private static string MetricName(string name) => name.Replace('-', '_').Replace('.', '_');

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }

        var pairs = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            var value = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "";
            pairs.Add($"{MetricName(tag.Key)}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"");
        }

        pairs.Sort(StringComparer.Ordinal);
        return "{" + string.Join(",", pairs) + "}";
    }
}
