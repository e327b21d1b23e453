using CallWaiting.Server.Configuration;

namespace CallWaiting.Cli.Models;

/// <summary>The <c>Models</c> settings of <c>models pull</c>: where the public voice repositories are.</summary>
internal sealed class ModelsOptions : IValidatedOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Models";

    /// <summary>Piper's voice repository on Hugging Face, which holds <c>voices.json</c> and the voices in its file layout.</summary>
    public const string DefaultBaseUrl = "https://huggingface.co/rhasspy/piper-voices/resolve/main";

    /// <summary>The Hugging Face hub, which lists a repository's files and serves them.</summary>
    public const string DefaultHubUrl = "https://huggingface.co";

    /// <summary>The Kokoro repository whose layout <c>pull kokoro:</c> reads.</summary>
    public const string DefaultKokoroRepository = "onnx-community/Kokoro-82M-v1.0-ONNX";

    /// <summary>Piper's repository's base URL (<c>CALLWAITING_Models__BaseUrl</c>).</summary>
    public string BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>The hub for Kokoro pulls, or a mirror of its API and files (<c>CALLWAITING_Models__HubUrl</c>).</summary>
    public string HubUrl { get; set; } = DefaultHubUrl;

    /// <summary>The Kokoro repository (<c>CALLWAITING_Models__KokoroRepository</c>).</summary>
    public string KokoroRepository { get; set; } = DefaultKokoroRepository;

    /// <summary>The Kokoro repository's branch, tag or commit (<c>CALLWAITING_Models__KokoroRevision</c>).</summary>
    public string KokoroRevision { get; set; } = "main";

    /// <inheritdoc />
    public IEnumerable<string> Problems()
    {
        foreach (var (setting, value) in new[] { ("BaseUrl", BaseUrl), ("HubUrl", HubUrl) })
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                yield return $"Models:{setting} must be an absolute http or https URL, not '{value}'";
        }
        if (KokoroRepository.Split('/') is not [{ Length: > 0 } owner, { Length: > 0 } name] || !Plain(owner) || !Plain(name))
            yield return $"Models:KokoroRepository must be OWNER/NAME, not '{KokoroRepository}'";
        if (KokoroRevision.Length == 0 || !Plain(KokoroRevision))
            yield return $"Models:KokoroRevision must be a branch, tag or commit, not '{KokoroRevision}'";
    }

    private static bool Plain(string part) => !part.StartsWith('.') && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
