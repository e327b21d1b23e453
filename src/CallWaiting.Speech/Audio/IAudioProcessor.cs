namespace CallWaiting.Speech.Audio;

/// <summary>A streaming mono audio stage (resampler, tempo, limiter): blocks in, blocks out, tail on flush.</summary>
public interface IAudioProcessor : IDisposable
{
    /// <summary>Processes the next block and returns whatever output is ready (possibly empty).</summary>
    float[] Process(ReadOnlySpan<float> input);

    /// <summary>Ends the stream and returns any buffered tail.</summary>
    float[] Flush();
}
