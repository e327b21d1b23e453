using CallWaiting.Speech.Audio;

namespace CallWaiting.Speech.Engines;

/// <summary>A text-to-speech engine: turns one sentence-sized piece of text into streamed PCM chunks.</summary>
/// <remarks>
/// Callers give engines text that the front end has already normalized and split into chunks no longer than
/// <see cref="EngineCapabilities.MaxChunkChars"/>. Every prosody parameter is passed on every call, because
/// some engines (espeak-ng) otherwise keep the previous call's settings. Calls arrive concurrently from many requests.
/// Every chunk yielded is at the voice's <see cref="EngineVoice.SampleRate"/> (another rate fails the request), with
/// word offsets relative to its first sample. Failures are <see cref="EngineException"/>s; one of kind
/// <see cref="EngineErrorKind.Overloaded"/> is never thrown for a <see cref="EngineRequest.Continuation"/>.
/// Cancellation, or the caller disposing the enumerator early, must stop synthesis promptly.
/// The contract in full, and how an in-process engine plugs in: docs/ARCHITECTURE.md.
/// </remarks>
public interface ISpeechEngine : IAsyncDisposable
{
    /// <summary>Short, stable engine name ("flite", "espeak", "piper").</summary>
    string Name { get; }

    /// <summary>What the engine can do.</summary>
    EngineCapabilities Capabilities { get; }

    /// <summary>Every voice the engine offers.</summary>
    IReadOnlyList<EngineVoice> Voices { get; }

    /// <summary>Synthesizes one chunk of text, yielding audio as it is produced.</summary>
    IAsyncEnumerable<AudioChunk> SynthesizeAsync(EngineRequest request, CancellationToken cancellationToken);
}
