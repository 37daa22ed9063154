using System.Reflection;
using System.Text.RegularExpressions;
using Orleans.Configuration;

namespace Governance.Storage.Tests.Orleans;

/// <summary>
/// The OrleansQuery keys the loaded Orleans ADO.NET assemblies look up, read from the assemblies
/// themselves so the list follows Orleans upgrades: each provider's internal <c>DbStoredQueries</c>
/// refuses to start unless every one of its non-public instance properties has a row of that name
/// (required keys), and may look further keys up by a string literal in its code (optional keys,
/// e.g. 10.4.2's <c>CleanupDefunctSiloEntryKey</c>).
/// </summary>
internal static partial class OrleansQueryKeys
{
    private const string StoredQueriesType = "DbStoredQueries";

    private const byte LoadStringOpCode = 0x72;

    private const int UserStringTokenType = 0x70;

    public static Assembly Clustering => typeof(AdoNetClusteringSiloOptions).Assembly;

    public static Assembly Reminders => typeof(AdoNetReminderTableOptions).Assembly;

    /// <summary>The keys <c>DbStoredQueries</c>' constructor insists on.</summary>
    public static IReadOnlySet<string> Required(Assembly assembly) =>
        StoredQueries(assembly)
            .GetProperties(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .Select(p => p.Name)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Every "...Key" string literal in <c>DbStoredQueries</c>' own methods.</summary>
    public static IReadOnlySet<string> Referenced(Assembly assembly)
    {
        var type = StoredQueries(assembly);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        const BindingFlags all = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public
            | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            var il = method.GetMethodBody()?.GetILAsByteArray();
            if (il is null)
            {
                continue;
            }

            for (var i = 0; i + 4 < il.Length; i++)
            {
                if (il[i] != LoadStringOpCode)
                {
                    continue;
                }

                var token = BitConverter.ToInt32(il, i + 1);
                if (token >> 24 != UserStringTokenType)
                {
                    continue;
                }

                string text;
                try
                {
                    text = method.Module.ResolveString(token);
                }
                catch (ArgumentException)
                {
                    continue; // 0x72 was an operand byte, not ldstr.
                }

                if (QueryKeyName().IsMatch(text))
                {
                    keys.Add(text);
                }
            }
        }

        return keys;
    }

    private static Type StoredQueries(Assembly assembly) =>
        assembly.GetTypes().SingleOrDefault(t => t.Name == StoredQueriesType)
        ?? throw new InvalidOperationException($"{assembly.GetName()} has no {StoredQueriesType} type: Orleans changed its ADO.NET layout.");

    [GeneratedRegex("^[A-Z][A-Za-z0-9]*Key$")]
    private static partial Regex QueryKeyName();
}
