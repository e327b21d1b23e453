using System.Globalization;
using System.Net;
using CallWaiting.Server.Tests.Infrastructure;
using static CallWaiting.Server.Tests.Tts.TtsTestHttp;

namespace CallWaiting.Server.Tests.Tts;

/// <summary>
/// `callwaiting say` and POST /v1/tts with stream:false run one encode loop, so on a deterministic voice (flite) they
/// write the same file byte for byte. FLAC differs only where it is defined to: `say` rewrites STREAMINFO (total
/// samples, frame sizes, MD5) into its seekable file, while the server's whole file keeps the STREAMINFO it streamed.
/// </summary>
[Collection(TtsServerCollection.Name)]
public sealed class SayMatchesServerTests(ServerFixture fixture) : IDisposable
{
    // "fLaC", the metadata block header, then the 34 bytes of STREAMINFO.
    private const int StreamInfoStart = 8;
    private const int StreamInfoEnd = StreamInfoStart + 34;

    private const string Text = "Thank you for calling. Your call is important to us; please hold for 42 seconds.";

    private readonly string _folder = Directory.CreateTempSubdirectory("cw-say-server-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("wav", 1.0, null)]
    [InlineData("mp3", 1.25, null)]
    [InlineData("pcm16", 0.8, 8000)]
    [InlineData("ulaw", 1.0, null)]
    [InlineData("flac", 1.0, 16000)]
    public async Task Say_writes_the_servers_whole_file(string format, double speed, int? rate)
    {
        var path = Path.Combine(_folder, "say." + format);
        string[] args = ["say", Text, "-v", "emily-en-us", "-f", format, "--speed", speed.ToString(CultureInfo.InvariantCulture), "-o", path];
        if (rate is { } r) args = [.. args, "--rate", r.ToString(CultureInfo.InvariantCulture)];
        var say = await ServerCli.RunAsync(new Dictionary<string, string?>(), args);
        Assert.True(say.ExitCode == 0, say.StandardError);
        var local = await File.ReadAllBytesAsync(path);

        var sampleRate = rate is { } asked ? $",\"sample_rate\":{asked}" : "";
        var json = $$"""{"text":"{{Text}}","voice_id":"emily-en-us","format":"{{format}}","speed":{{speed.ToString(CultureInfo.InvariantCulture)}},"stream":false{{sampleRate}}}""";
        var (status, _, served, _) = await SynthesizeAsync(fixture.Server.Client, fixture.Server.BootstrapKey, json);
        Assert.Equal(HttpStatusCode.OK, status);

        Assert.True(local.Length > 1000, $"say wrote only {local.Length} bytes");
        Assert.Equal(served.Length, local.Length);
        if (format == "flac")
        {
            Assert.Equal(served.AsSpan(0, StreamInfoStart).ToArray(), local.AsSpan(0, StreamInfoStart).ToArray());
            Assert.Equal(served.AsSpan(StreamInfoEnd).ToArray(), local.AsSpan(StreamInfoEnd).ToArray());
            // Total samples (36 bits from STREAMINFO byte 13): known in say's file, "unknown" (0) as streamed.
            Assert.NotEqual(0, TotalSamples(local));
            Assert.Equal(0, TotalSamples(served));
        }
        else
        {
            Assert.Equal(served, local);
        }
    }

    private static long TotalSamples(byte[] flac)
    {
        var at = StreamInfoStart + 13;
        return ((long)(flac[at] & 0x0F) << 32) | ((long)flac[at + 1] << 24) | ((long)flac[at + 2] << 16) | ((long)flac[at + 3] << 8) | flac[at + 4];
    }
}
