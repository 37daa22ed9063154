using System.Text.Json;
using System.Text.Json.Nodes;

namespace Governance.Bench;

/// <summary>The figures of one measurement, written as one flat JSON object for <c>report</c>.</summary>
public static class ResultFile
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(string path, JsonObject figures)
    {
        File.WriteAllText(path, figures.ToJsonString(Indented) + "\n");
        Console.WriteLine(figures.ToJsonString());
    }

    public static JsonObject? Read(string directory, string name)
    {
        var path = Path.Combine(directory, name + ".json");
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject : null;
    }
}
