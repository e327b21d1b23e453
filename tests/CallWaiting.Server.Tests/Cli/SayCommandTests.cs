using System.Globalization;
using CallWaiting.Server.Tests.Infrastructure;

namespace CallWaiting.Server.Tests.Cli;

/// <summary>`callwaiting say` writing to a seekable file, checked by the FLAC reference tools and sox.</summary>
public sealed class SayCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cw-say-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_flac_file_gets_its_total_samples_and_md5_in_streaminfo()
    {
        var path = Path.Combine(_folder, "x.flac");
        var say = await ServerCli.RunAsync(new Dictionary<string, string?>(), "say", "Thank you for calling. Please hold.", "-f", "flac", "-o", path);
        Assert.True(say.ExitCode == 0, say.StandardError);

        var shown = (await ServerAudio.RunToolAsync("metaflac", ["--show-total-samples", "--show-md5sum", path]))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var totalSamples = long.Parse(shown[0], CultureInfo.InvariantCulture);
        var raw = Path.Combine(_folder, "x.raw");
        await ServerAudio.RunToolAsync("sox", [path, "-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1", raw]);
        Assert.True(totalSamples > 0);
        Assert.Equal(new FileInfo(raw).Length / 2, totalSamples);
        // The MD5 of the decoded samples (16-bit little-endian, as FLAC defines it); all zeros would mean "unknown".
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(await File.ReadAllBytesAsync(raw))), shown[1]);
        Assert.Contains("ok", await ServerAudio.RunToolAsync("flac", ["-t", path]));
    }
}
