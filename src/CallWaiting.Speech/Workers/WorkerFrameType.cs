namespace CallWaiting.Speech.Workers;

/// <summary>The type byte of a protocol frame (see <see cref="WorkerProtocol"/>).</summary>
internal enum WorkerFrameType : byte
{
    /// <summary>Worker → parent, once at start: engines, capabilities and voices.</summary>
    Hello = 1,
    /// <summary>Parent → worker: start one request.</summary>
    Synthesize = 2,
    /// <summary>Worker → parent: a block of PCM16 audio with its word events.</summary>
    Audio = 3,
    /// <summary>Worker → parent: the request ended.</summary>
    Done = 4,
    /// <summary>Worker → parent: the request failed.</summary>
    Error = 5,
    /// <summary>Parent → worker: stop the running request.</summary>
    Cancel = 6,
    /// <summary>Parent → worker: translate text to phonemes (for in-process neural engines).</summary>
    Phonemize = 7,
    /// <summary>Worker → parent: the phonemes of a Phonemize request; ends it, as Done ends a synthesis.</summary>
    Phonemes = 8,
}
