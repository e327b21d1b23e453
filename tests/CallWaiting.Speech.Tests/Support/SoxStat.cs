namespace CallWaiting.Speech.Tests.Support;

/// <summary>
/// What sox reports about a file: its rate and channels (from soxi, or as sox was told for a headerless file) and the
/// fields of <c>sox FILE -n stat</c> the tests check; amplitudes are fractions of full scale.
/// </summary>
internal sealed record SoxStat(
    int SampleRate, int Channels, long SamplesRead, double Seconds, double RmsAmplitude, double MaximumAmplitude, double RoughFrequency);
