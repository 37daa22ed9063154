using System.Globalization;

namespace Governance.Bench;

/// <summary><c>--name value</c> pairs; a name may repeat (<c>--env A=1 --env B=2</c>).</summary>
public sealed class BenchArguments
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public static BenchArguments Parse(IEnumerable<string> args)
    {
        var parsed = new BenchArguments();
        using var cursor = args.GetEnumerator();
        while (cursor.MoveNext())
        {
            var name = cursor.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || !cursor.MoveNext())
            {
                throw new BenchException($"expected --name value, got '{name}'");
            }

            if (!parsed._values.TryGetValue(name[2..], out var list))
            {
                parsed._values[name[2..]] = list = [];
            }

            list.Add(cursor.Current);
        }

        return parsed;
    }

    public string Required(string name) =>
        _values.TryGetValue(name, out var list) ? list[^1] : throw new BenchException($"--{name} is required");

    public string Text(string name, string fallback) => _values.TryGetValue(name, out var list) ? list[^1] : fallback;

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var list)
            ? int.Parse(list[^1], NumberStyles.Integer, CultureInfo.InvariantCulture)
            : fallback;

    public int? OptionalInt(string name) => _values.ContainsKey(name) ? Int(name, 0) : null;

    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var list) ? list : [];

    public Uri Url() => new(Required("url").TrimEnd('/') + "/");

    /// <summary>Every <c>--url</c> given, in order; at least one.</summary>
    public IReadOnlyList<Uri> Urls()
    {
        Required("url");
        return [.. All("url").Select(url => new Uri(url.TrimEnd('/') + "/"))];
    }
}
