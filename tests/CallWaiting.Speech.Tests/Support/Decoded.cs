namespace CallWaiting.Speech.Tests.Support;

/// <summary>Audio decoded by an independent tool: 16-bit mono samples and the rate the tool reports.</summary>
internal sealed record Decoded(short[] Samples, int SampleRate)
{
    public double Seconds => (double)Samples.Length / SampleRate;
}
