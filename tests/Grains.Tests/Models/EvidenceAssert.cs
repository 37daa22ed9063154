using System.Text.Json.Nodes;
using Governance.Grains.Evidence;

namespace Governance.Grains.Tests.Models;

/// <summary>Assertions on the ledger events a transition produces (DESIGN §5.5 table).</summary>
public static class EvidenceAssert
{
    /// <summary>The event has this name and actor, and its data holds at least these fields (nulls count).</summary>
    public static void Event(EvidenceEvent evidence, string name, string actor, params string[] dataFields)
    {
        Assert.Equal(name, evidence.Name);
        Assert.Equal(actor, evidence.Actor);
        foreach (var field in dataFields)
        {
            Assert.True(evidence.Data.ContainsKey(field), $"{name} data lacks '{field}': {evidence.Data.ToJsonString()}");
        }
    }

    public static string? Text(EvidenceEvent evidence, string field) => evidence.Data[field]?.GetValue<string>();

    public static string[] Strings(EvidenceEvent evidence, string field) =>
        [.. evidence.Data[field]!.AsArray().Select(node => node!.GetValue<string>())];

    public static string[] Names(IEnumerable<EvidenceEvent> events) => [.. events.Select(e => e.Name)];

    public static JsonNode? Field(EvidenceEvent evidence, string field) => evidence.Data[field];
}
