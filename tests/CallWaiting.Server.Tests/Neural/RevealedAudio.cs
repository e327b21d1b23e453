namespace CallWaiting.Server.Tests.Neural;

/// <summary>
/// Reads the generated Piper graphs' ids back out of decoded PCM16: each id was id/1000 for ceil(4 × length_scale)
/// samples, so a run of equal samples is one id and its length says the length_scale.
/// </summary>
internal static class RevealedAudio
{
    /// <summary>The runs of <paramref name="pcm"/> (16-bit little-endian): each run's value as an id, and its length.</summary>
    public static List<(long Id, int Length)> Runs(byte[] pcm)
    {
        var runs = new List<(long, int)>();
        for (var i = 0; i + 1 < pcm.Length; i += 2)
        {
            var id = (long)Math.Round(BitConverter.ToInt16(pcm, i) / 32.767);
            if (runs.Count > 0 && runs[^1].Item1 == id) runs[^1] = (id, runs[^1].Item2 + 1);
            else runs.Add((id, 1));
        }
        return runs;
    }

    /// <summary>Decodes a WAV with sox into PCM16 at its own rate; returns the samples' bytes and the rate soxi reads.</summary>
    public static async Task<(byte[] Pcm, int Rate)> DecodeWavAsync(byte[] wav)
    {
        var input = Path.Combine(Path.GetTempPath(), $"cw-piper-{Guid.NewGuid():N}.wav");
        var output = Path.ChangeExtension(input, ".raw");
        await File.WriteAllBytesAsync(input, wav);
        try
        {
            var rate = int.Parse((await ServerAudio.RunToolAsync("soxi", ["-r", input])).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            await ServerAudio.RunToolAsync("sox", [input, "-t", "raw", "-e", "signed-integer", "-b", "16", "-L", output]);
            return (await File.ReadAllBytesAsync(output), rate);
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }

    /// <summary>Asserts that <paramref name="expected"/> appears in the runs in order, each id a run of <paramref name="repeats"/> samples.</summary>
    public static void AssertContains(List<(long Id, int Length)> runs, long[] expected, int repeats)
    {
        var ids = runs.Select(r => r.Id).ToList();
        for (var start = 0; start + expected.Length <= ids.Count; start++)
        {
            if (!ids.Skip(start).Take(expected.Length).SequenceEqual(expected)) continue;
            // The first and last runs may merge with the header or the silence around them; the inner ones are exact.
            Assert.All(runs.Skip(start + 1).Take(expected.Length - 2), r => Assert.Equal(repeats, r.Length));
            return;
        }
        Assert.Fail($"The ids [{string.Join(", ", expected)}] are not in the audio's runs [{string.Join(", ", ids.Take(200))}…].");
    }
}
