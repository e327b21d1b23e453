using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using CallWaiting.Benchmarks;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Synthesis;

// Usage: CallWaiting.DirectSynthesis BODIES_FILE VOICE FORMAT TEXTS
// The API benchmark's baseline: the speech core in-process, started as the server starts it (one warm worker per core),
// timing prepare + synthesis + encoding into a null pipe, without HTTP. It writes one POST /v1/tts JSON body per
// benchmark text (at most 200 characters each) to BODIES_FILE, warms up, prints "ready", then answers commands read
// one a line from standard input, so scripts/bench-server.sh can interleave them with HTTP requests to the server:
//   one I               synthesize text I once; prints the milliseconds it took
//   parallel C SECONDS  C concurrent clients synthesize the texts in turn for SECONDS; prints "REQUESTS ELAPSED_SECONDS"
const int RequestChars = 200;
var inv = CultureInfo.InvariantCulture;
if (args.Length != 4 || !int.TryParse(args[3], inv, out var textCount) || textCount < 1 || !AudioFormats.TryParse(args[2], out var format))
{
    Console.Error.WriteLine("usage: CallWaiting.DirectSynthesis BODIES_FILE VOICE FORMAT TEXTS (TEXTS >= 1)");
    return 2;
}

var voice = args[1];
var texts = Enumerable.Range(0, textCount).Select(i => Clip(BenchText.Take(RequestChars, i), RequestChars)).ToArray();
await using (var bodies = File.CreateText(args[0]))
{
    foreach (var text in texts)
        await bodies.WriteLineAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["text"] = text, ["voice_id"] = voice, ["format"] = AudioFormats.Name(format) }));
}

await using var runtime = await SpeechRuntime.StartAsync(new SpeechRuntimeOptions());

async Task SynthesizeAsync(string text)
{
    var plan = runtime.Synthesizer.Prepare(new SynthesisRequest { Text = text, Voice = voice, Format = format });
    await AudioStreaming.WriteAsync(plan, PipeWriter.Create(Stream.Null), CancellationToken.None);
}

foreach (var text in texts) await SynthesizeAsync(text); // warm-up: JIT, voice loads in the workers
Console.WriteLine("ready");

while (Console.ReadLine() is { } line)
{
    var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    if (words is ["one", var index] && int.TryParse(index, inv, out var i) && i >= 0 && i < texts.Length)
    {
        var clock = Stopwatch.StartNew();
        await SynthesizeAsync(texts[i]);
        Console.WriteLine(clock.Elapsed.TotalMilliseconds.ToString("0.000", inv));
    }
    else if (words is ["parallel", var c, var s] && int.TryParse(c, inv, out var clients) && clients >= 1
             && double.TryParse(s, inv, out var seconds) && seconds > 0)
    {
        var (requests, elapsed) = await RunParallelAsync(clients, TimeSpan.FromSeconds(seconds));
        Console.WriteLine(string.Create(inv, $"{requests} {elapsed:0.000}"));
    }
    else
    {
        Console.Error.WriteLine($"unknown command: {line}");
        return 2;
    }
}
return 0;

// Clients start requests until the time is up; requests under way then still finish and count, over the time they took.
async Task<(int Requests, double Seconds)> RunParallelAsync(int clients, TimeSpan duration)
{
    var started = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
    {
        while (clock.Elapsed < duration)
            await SynthesizeAsync(texts[(Interlocked.Increment(ref started) - 1) % texts.Length]);
    }));
    return (started, clock.Elapsed.TotalSeconds);
}

// Whole words up to the limit, ended as a sentence, so every request is close to the 200 characters.
static string Clip(string text, int limit)
{
    if (text.Length <= limit) return text;
    var cut = text.LastIndexOf(' ', limit - 1);
    return text[..cut].TrimEnd(',', ';', '.') + ".";
}
