namespace CallWaiting.Speech.Engines.Kokoro;

/// <summary>Which published export of Kokoro a graph is, told apart by its input names and types.</summary>
public enum KokoroExport
{
    /// <summary>v0.19 (kokoro-onnx): <c>tokens</c> int64 [1,N], <c>style</c> float32 [1,256], <c>speed</c> float32 [1].</summary>
    V019,

    /// <summary>onnx-community v1.0: <c>input_ids</c> int64 [1,N], <c>style</c> float32 [1,256], <c>speed</c> float32 [1] → <c>waveform</c>.</summary>
    OnnxCommunity,

    /// <summary>hexgrad's own export: <c>input_ids</c>, <c>style</c>, and <c>speed</c> int32 [1], so only whole speeds.</summary>
    Hexgrad,
}
