using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CallWaiting.Server.Tests.Deploy;

/// <summary>The repository's deployment files (Dockerfile, deploy/), read from the checkout the tests run in.</summary>
public static class DeployFiles
{
    /// <summary>The repository root: the folder above the test binaries that holds CallWaiting.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Absolute path of <paramref name="relative"/> under the repository root.</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>The text of a repository file.</summary>
    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Every YAML document in a file, as mapping nodes.</summary>
    public static IReadOnlyList<YamlMappingNode> YamlDocuments(string relative)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(Read(relative));
        // Compose files share settings through merge keys (<<: *api), which the plain parser leaves unresolved.
        stream.Load(new MergingParser(new Parser(reader)));
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    /// <summary>The single YAML document of a file.</summary>
    public static YamlMappingNode Yaml(string relative) => Assert.Single(YamlDocuments(relative));

    /// <summary>The child at <paramref name="path"/> (mapping keys), or null when any step is missing.</summary>
    public static YamlNode? At(this YamlNode node, params string[] path)
    {
        YamlNode? current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out current)) return null;
        }

        return current;
    }

    /// <summary>The scalar text at <paramref name="path"/>, or null.</summary>
    public static string? Text(this YamlNode node, params string[] path) => (node.At(path) as YamlScalarNode)?.Value;

    /// <summary>The mapping at <paramref name="path"/>'s entries by key, empty when absent.</summary>
    public static IEnumerable<(string Key, YamlNode Value)> Entries(this YamlNode node, params string[] path) =>
        node.At(path) is YamlMappingNode mapping ? mapping.Children.Select(c => (((YamlScalarNode)c.Key).Value!, c.Value)) : [];

    /// <summary>The sequence at <paramref name="path"/>'s items, empty when absent.</summary>
    public static IEnumerable<YamlNode> Items(this YamlNode node, params string[] path) =>
        node.At(path) is YamlSequenceNode sequence ? sequence.Children : [];

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CallWaiting.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException($"No repository root (CallWaiting.sln) above {AppContext.BaseDirectory}.");
    }
}
