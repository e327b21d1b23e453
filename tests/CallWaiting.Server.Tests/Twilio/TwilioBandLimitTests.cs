using System.Text.Json;
using CallWaiting.Server.Realtime;
using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Codecs;

namespace CallWaiting.Server.Tests.Twilio;

/// <summary>
/// The telephony path (engine rate 24 kHz → AudioPipeline → 8 kHz → μ-law → Twilio media frames) low-passes before
/// decimating: a 3 kHz tone passes within 1 dB and a 6 kHz tone, which would alias to 2 kHz, is gone. The frames are
/// decoded by sox, independently of our G.711 code.
/// </summary>
public sealed class TwilioBandLimitTests
{
    private const int EngineRate = 24000;
    private const int PhoneRate = 8000;
    private const double Amplitude = 0.5;

    [Fact]
    public async Task A_3_kHz_tone_survives_within_1_dB()
    {
        var decoded = await ThroughTelephonyAsync(3000);
        var level = Goertzel(decoded, 3000);
        Assert.InRange(20 * Math.Log10(level / Amplitude), -1.0, 1.0);
    }

    [Fact]
    public async Task A_6_kHz_tone_is_removed_rather_than_aliased()
    {
        var decoded = await ThroughTelephonyAsync(6000);
        var rms = Math.Sqrt(decoded.Average(s => (double)s * s));
        var inputRms = Amplitude / Math.Sqrt(2);
        Assert.True(20 * Math.Log10(rms / inputRms) < -40, $"residue {20 * Math.Log10(rms / inputRms):0.0} dB");
        Assert.True(20 * Math.Log10(Goertzel(decoded, 2000) / Amplitude) < -40, "no alias at 2 kHz");
    }

    // Two seconds of tone through the pipeline in engine-sized chunks, framed as Twilio sends it; returns the middle
    // second decoded by sox (edges hold the resampler's and limiter's onset).
    private static async Task<float[]> ThroughTelephonyAsync(double frequency)
    {
        var tone = new float[EngineRate * 2];
        for (var i = 0; i < tone.Length; i++) tone[i] = (float)(Amplitude * Math.Sin(2 * Math.PI * frequency * i / EngineRate));

        var resampled = new List<float>();
        using (var pipeline = new AudioPipeline(new AudioPipelineOptions(EngineRate, PhoneRate)))
        {
            var output = new System.Buffers.ArrayBufferWriter<float>();
            for (var start = 0; start < tone.Length; start += 2400)
                pipeline.Process(tone.AsSpan(start, Math.Min(2400, tone.Length - start)), output);
            pipeline.Flush(output);
            resampled.AddRange(output.WrittenSpan.ToArray());
        }

        var mulaw = AudioEncoder.Encode(AudioFormat.Mulaw, PhoneRate, resampled.ToArray());
        var framer = new TwilioMediaFramer("MZband");
        var messages = new List<byte[]>();
        framer.Write(mulaw, messages);
        framer.Complete(messages);
        var payload = messages.SelectMany(m =>
        {
            using var json = JsonDocument.Parse(m);
            var frame = Convert.FromBase64String(json.RootElement.GetProperty("media").GetProperty("payload").GetString()!);
            Assert.Equal(TwilioMediaFramer.FrameBytes, frame.Length);
            return frame;
        }).ToArray();
        Assert.Equal((mulaw.Length + 159) / 160 * 160, payload.Length);

        var decoded = await SoxDecodeMulawAsync(payload);
        return decoded.AsSpan(PhoneRate / 2, PhoneRate).ToArray();
    }

    private static async Task<float[]> SoxDecodeMulawAsync(byte[] mulaw)
    {
        var input = Path.Combine(Path.GetTempPath(), $"cw-twilio-band-{Guid.NewGuid():N}.ul");
        var output = Path.ChangeExtension(input, ".f32");
        await File.WriteAllBytesAsync(input, mulaw);
        try
        {
            await ProcessRunner.RunOrThrowAsync("sox", ["-t", "ul", "-r", "8000", "-c", "1", input, "-t", "raw", "-e", "floating-point", "-b", "32", "-L", output]);
            var bytes = await File.ReadAllBytesAsync(output);
            var samples = new float[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 4);
            return samples;
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }

    // Amplitude of the component at `frequency` (Goertzel over a whole number of its periods).
    private static double Goertzel(float[] samples, double frequency)
    {
        var cycles = Math.Floor(samples.Length * frequency / PhoneRate);
        var n = (int)Math.Round(cycles * PhoneRate / frequency);
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / PhoneRate);
        double s1 = 0, s2 = 0;
        for (var i = 0; i < n; i++)
        {
            var s0 = samples[i] + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
        }

        var power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        return 2 * Math.Sqrt(Math.Max(power, 0)) / n;
    }
}
