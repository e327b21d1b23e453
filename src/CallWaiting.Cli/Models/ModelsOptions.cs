using CallWaiting.Server.Configuration;

namespace CallWaiting.Cli.Models;

/// <summary>The <c>Models</c> settings of <c>models pull</c>: where the public voice repository is.</summary>
internal sealed class ModelsOptions : IValidatedOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Models";

    /// <summary>Piper's voice repository on Hugging Face, which holds <c>voices.json</c> and the voices in its file layout.</summary>
    public const string DefaultBaseUrl = "https://huggingface.co/rhasspy/piper-voices/resolve/main";

    /// <summary>The repository's base URL (<c>CALLWAITING_Models__BaseUrl</c>).</summary>
    public string BaseUrl { get; set; } = DefaultBaseUrl;

    /// <inheritdoc />
    public IEnumerable<string> Problems()
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            yield return $"Models:BaseUrl must be an absolute http or https URL, not '{BaseUrl}'";
    }
}
