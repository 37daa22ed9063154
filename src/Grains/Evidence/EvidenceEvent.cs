using System.Text.Json.Nodes;

namespace Governance.Grains.Evidence;

/// <summary>A ledger event a transition produces, before it gets its place in the chain.</summary>
public sealed record EvidenceEvent(string Name, string Actor, JsonObject Data);
