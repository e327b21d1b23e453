using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CallWaiting.Speech.Engines.Onnx;

/// <summary>Checks a graph's inputs and outputs against what an engine feeds it, collecting every problem.</summary>
public static class OnnxGraphCheck
{
    /// <summary>Adds a problem when <paramref name="nodes"/> has no tensor <paramref name="name"/> of <paramref name="type"/>.</summary>
    public static void Expect(IReadOnlyDictionary<string, NodeMetadata> nodes, string name, TensorElementType type, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(problems);
        if (!nodes.TryGetValue(name, out var node)) problems.Add($"no '{name}'");
        else if (!node.IsTensor || node.ElementDataType != type) problems.Add($"'{name}' is not a {type} tensor");
    }

    /// <summary>Opens <paramref name="path"/>, turning a file ONNX Runtime cannot read into <see cref="InvalidDataException"/>.</summary>
    /// <exception cref="InvalidDataException">The file is corrupt or unreadable.</exception>
    public static InferenceSession Open(OnnxSessionFactory sessions, string path)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        try
        {
            return sessions.Open(path);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"corrupt or unreadable ONNX file: {e.Message.Split('\n')[0]}", e);
        }
    }
}
