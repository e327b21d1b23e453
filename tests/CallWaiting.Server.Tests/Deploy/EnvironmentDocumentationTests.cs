using System.Text.RegularExpressions;

namespace CallWaiting.Server.Tests.Deploy;

/// <summary>deploy/env.example documents every CALLWAITING_* setting, and the deployment files use only real ones.</summary>
public sealed partial class EnvironmentDocumentationTests
{
    private static readonly string EnvExample = DeployFiles.Read("deploy/env.example");

    [Fact]
    public void The_server_reads_the_settings_this_test_expects()
    {
        // Guards the reflection in ServerSettings: if it found nothing, the checks below would pass vacuously.
        Assert.Contains("CALLWAITING_DB", ServerSettings.Names);
        Assert.Contains("CALLWAITING_TLS_KEY", ServerSettings.Names);
        Assert.Contains("CALLWAITING_Api__TrustedProxies", ServerSettings.Names);
        Assert.Contains("CALLWAITING_RateLimits__Failover__RedisTimeout", ServerSettings.Names);
        Assert.Contains("CALLWAITING_Realtime__SigningSecret", ServerSettings.Names);
        Assert.DoesNotContain("CALLWAITING_Tls__Enabled", ServerSettings.Names);
    }

    [Fact]
    public void Every_setting_the_server_reads_or_the_README_lists_is_in_env_example()
    {
        var documented = DocumentedNames();
        var missing = ServerSettings.Names.Concat(ReadmeTableNames()).Where(name => !documented.Contains(name)).Order().ToList();
        Assert.True(missing.Count == 0, "Not in deploy/env.example: " + string.Join(", ", missing));
    }

    [Fact]
    public void Env_example_and_manifests_name_no_setting_that_does_not_exist()
    {
        var readme = ReadmeTableNames().ToHashSet();
        var files = new[] { "deploy/env.example", "deploy/compose.yaml", "Dockerfile" }
            .Concat(Directory.EnumerateFiles(DeployFiles.PathOf("deploy/k8s"), "*.yaml", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(DeployFiles.Root, p)));
        var unknown = files.SelectMany(file => ServerSettings.NamesIn(DeployFiles.Read(file)).Select(name => (file, name)))
            .Where(x => !ServerSettings.IsKnown(x.name) && !readme.Contains(x.name))
            .Select(x => $"{x.file}: {x.name}").ToList();
        Assert.True(unknown.Count == 0, "Unknown settings: " + string.Join(", ", unknown));
    }

    /// <summary>Names written as an assignment, set or commented out ("# NAME=default" documents the default).</summary>
    private static HashSet<string> DocumentedNames() =>
        AssignmentPattern().Matches(EnvExample).Select(m => m.Groups["name"].Value)
            .SelectMany(name => ServerSettings.Names.Where(known => name == known || name.StartsWith(known + "__", StringComparison.Ordinal)).Append(name))
            .ToHashSet();

    /// <summary>The variables in README's Configuration table (rows that start with a CALLWAITING_ name).</summary>
    private static IEnumerable<string> ReadmeTableNames() =>
        DeployFiles.Read("README.md").Split('\n').Where(line => line.StartsWith("| `CALLWAITING_", StringComparison.Ordinal))
            .SelectMany(line => ServerSettings.NamesIn(line.Split('|')[1]));

    [GeneratedRegex(@"^#?\s*(?<name>CALLWAITING_[A-Za-z0-9_]+)=", RegexOptions.Multiline)]
    private static partial Regex AssignmentPattern();
}
