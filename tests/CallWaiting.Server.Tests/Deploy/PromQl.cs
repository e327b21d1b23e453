using System.Text.RegularExpressions;

namespace CallWaiting.Server.Tests.Deploy;

/// <summary>The metric and label names a PromQL expression refers to (enough of PromQL for alert rules and dashboards).</summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords = ["by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset"];

    /// <summary>Metric names: identifiers that are neither functions (followed by "("), keywords nor label names.</summary>
    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var bare = Matchers().Replace(Grouping().Replace(Ranges().Replace(Strings().Replace(expression, "\"\""), ""), ""), "");
        return Identifiers().Matches(bare).Select(m => m.Value).Where(name => !Keywords.Contains(name)).ToHashSet();
    }

    /// <summary>Label names in matchers ({status=~"5.."}) and in by/without/on/ignoring clauses.</summary>
    public static IReadOnlySet<string> LabelNames(string expression)
    {
        var unquoted = Strings().Replace(expression, "\"\"");
        var inMatchers = Matchers().Matches(unquoted).SelectMany(m => MatcherLabel().Matches(m.Value).Select(l => l.Groups["label"].Value));
        var inGrouping = Grouping().Matches(unquoted).SelectMany(m => m.Groups["labels"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return inMatchers.Concat(inGrouping).ToHashSet();
    }

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\((?<labels>[^)]*)\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"(?<label>[a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)")]
    private static partial Regex MatcherLabel();

    [GeneratedRegex(@"(?<![\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*\b(?!\s*\()")]
    private static partial Regex Identifiers();
}
