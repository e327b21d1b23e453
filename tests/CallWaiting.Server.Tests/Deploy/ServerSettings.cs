using System.Reflection;
using System.Text.RegularExpressions;
using CallWaiting.Server.Hosting;
using CallWaiting.Speech.Engines.Onnx;

namespace CallWaiting.Server.Tests.Deploy;

/// <summary>
/// The CALLWAITING_* environment variables the server reads, found from its code: the constants that name variables,
/// and every settable property of the option classes bound to a configuration section (CALLWAITING_Section__Name).
/// </summary>
public static partial class ServerSettings
{
    // Option classes the server binds that live in the speech core's assembly.
    private static readonly Type[] BoundFromSpeechCore = [typeof(OnnxOptions)];

    /// <summary>Every variable name, e.g. CALLWAITING_DB and CALLWAITING_Api__MaxTextLength.</summary>
    public static IReadOnlySet<string> Names { get; } = Collect();

    /// <summary>Whether <paramref name="name"/> sets a known setting, allowing list indexes and dictionary keys after it.</summary>
    public static bool IsKnown(string name) =>
        Names.Contains(name) || Names.Any(known => name.StartsWith(known + "__", StringComparison.Ordinal) && known.Contains("__", StringComparison.Ordinal));

    /// <summary>The CALLWAITING_* names in a text (env file, manifest).</summary>
    public static IEnumerable<string> NamesIn(string text) => VariablePattern().Matches(text).Select(m => m.Value).Distinct();

    private static HashSet<string> Collect()
    {
        var assembly = typeof(CallWaitingServer).Assembly;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in assembly.GetTypes().SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static)))
        {
            if (field is { IsLiteral: true } && field.GetRawConstantValue() is string value
                && value.StartsWith(CallWaitingServer.EnvironmentPrefix, StringComparison.Ordinal) && value != CallWaitingServer.EnvironmentPrefix)
            {
                names.Add(value);
            }
        }

        foreach (var type in assembly.GetTypes().Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal) && t.IsClass).Concat(BoundFromSpeechCore))
        {
            var section = type.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string;
            Assert.True(section is not null, $"{type.Name} has no Section constant: every options class is bound to a configuration section.");

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
            {
                names.Add($"{CallWaitingServer.EnvironmentPrefix}{section.Replace(":", "__", StringComparison.Ordinal)}__{property.Name}");
            }
        }

        return names;
    }

    [GeneratedRegex(@"CALLWAITING_[A-Za-z0-9_]*[A-Za-z0-9]")]
    private static partial Regex VariablePattern();
}
