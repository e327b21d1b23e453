namespace CallWaiting.Server.Tts;

/// <summary>GET /v1/tts/limits: what a /v1/tts body may ask for on this server, so clients need not copy the rules.</summary>
/// <param name="MaxTextLength">Longest text in characters (Unicode code points), Api:MaxTextLength.</param>
/// <param name="Speed">The accepted speed range.</param>
/// <param name="SampleRate">The accepted sample_rate range; a format may take only some rates within it.</param>
/// <param name="Formats">Every output format and its rules.</param>
public sealed record TtsLimits(int MaxTextLength, TtsRange Speed, TtsRange SampleRate, IReadOnlyList<TtsFormatInfo> Formats);

/// <summary>An inclusive numeric range.</summary>
/// <param name="Min">Lowest accepted value.</param>
/// <param name="Max">Highest accepted value.</param>
public sealed record TtsRange(double Min, double Max);

/// <summary>One output format of /v1/tts.</summary>
/// <param name="Name">The format's name in a request.</param>
/// <param name="FileExtension">The extension of a file in this format.</param>
/// <param name="DefaultSampleRate">The rate used when none is asked for, or null for the voice's own rate.</param>
/// <param name="SampleRates">The only rates it takes, when it takes a fixed set; empty when any rate in the range goes.</param>
/// <param name="StreamedByDefault">Whether it streams unless "stream": false (WAV is a whole file unless "stream": true).</param>
public sealed record TtsFormatInfo(string Name, string FileExtension, int? DefaultSampleRate, IReadOnlyList<int> SampleRates, bool StreamedByDefault);
