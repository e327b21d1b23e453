using System.CommandLine;
using System.IO.Pipelines;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Synthesis;
using CallWaiting.Speech.Text;

namespace CallWaiting.Cli.Commands;

/// <summary>`callwaiting say "TEXT" --voice SLUG -o FILE`: synthesizes locally, without a server.</summary>
internal static class SayCommand
{
    public static Command Create()
    {
        var text = new Argument<string>("text") { Description = "Text (or SSML starting with <speak>) to speak." };
        var voice = new Option<string>("--voice", "-v") { Description = "Voice slug or UUID (see `voices list`).", DefaultValueFactory = _ => "emily-en-us" };
        var format = new Option<string>("--format", "-f") { Description = "wav, mp3, pcm16, ulaw, alaw, opus or flac.", DefaultValueFactory = _ => "wav" };
        var speed = new Option<double>("--speed") { Description = "Speaking speed, 0.5 to 2.0.", DefaultValueFactory = _ => 1.0 };
        var rate = new Option<int?>("--rate") { Description = "Output sample rate in Hz (8000 to 48000)." };
        var ssml = new Option<bool>("--ssml") { Description = "Treat the text as SSML." };
        var normalize = new Option<bool>("--normalize") { Description = "Normalize loudness." };
        var output = new Option<string>("--output", "-o") { Description = "Output file, or - for standard output.", Required = true };

        var say = new Command("say", "Synthesize speech to a file, without a server.") { text, voice, format, speed, rate, ssml, normalize, output };
        say.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            if (!AudioFormats.TryParse(parse.GetValue(format)!, out var audioFormat))
                return Fail($"Unknown format '{parse.GetValue(format)}'. Use one of: {string.Join(", ", AudioFormats.All.Select(AudioFormats.Name))}.");

            await using var runtime = await SpeechRuntime.StartAsync(CliSpeech.Options(workers: 1), cancellationToken: ct);
            SynthesisPlan plan;
            try
            {
                plan = runtime.Synthesizer.Prepare(new SynthesisRequest
                {
                    Text = parse.GetValue(text)!,
                    Voice = parse.GetValue(voice)!,
                    Format = audioFormat,
                    Speed = parse.GetValue(speed),
                    SampleRate = parse.GetValue(rate),
                    Ssml = parse.GetValue(ssml),
                    NormalizeLoudness = parse.GetValue(normalize),
                });
            }
            catch (Exception e) when (e is SynthesisRequestException or TextInputException)
            {
                return Fail(e.Message);
            }

            var path = parse.GetValue(output)!;
            await using var stream = path == "-" ? Console.OpenStandardOutput() : File.Create(path);
            var writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
            try
            {
                var result = await AudioStreaming.WriteAsync(plan, writer, ct);
                await writer.CompleteAsync();
                if (stream.CanSeek) AudioStreaming.FinalizeFile(stream, plan.Format, result);
                if (path != "-")
                    Console.Error.WriteLine($"Wrote {path}: {result.Duration.TotalSeconds:0.00} s of {plan.Format.ToString().ToLowerInvariant()} at {plan.OutputSampleRate} Hz, voice {plan.Voice.Slug}.");
                return 0;
            }
            catch (EngineException e)
            {
                return Fail($"Synthesis failed: {e.Message}");
            }
            catch (SynthesisRequestException e)
            {
                return Fail(e.Message);
            }
        }));
        return say;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 2;
    }
}
