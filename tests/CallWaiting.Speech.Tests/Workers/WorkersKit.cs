using System.Diagnostics;
using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Workers;

namespace CallWaiting.Speech.Tests.Workers;

/// <summary>Shared helpers of the worker tests: pools, requests, collecting audio and signalling real processes.</summary>
internal static class WorkersKit
{
    /// <summary>Longest time any single wait in these tests may take before the test fails instead of hanging.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>About 400 characters: flite's largest chunk. At a quarter of normal rate it is minutes of audio.</summary>
    public const string LongText =
        "The quick brown fox jumps over the lazy dog while the patient operator waits on the line, " +
        "listening to music that loops again and again. Your call is important to us, so please stay on the line " +
        "and a representative will be with you shortly. Meanwhile, you may visit our website for answers to common " +
        "questions, or press one to leave a message and we will call you back as soon as we can.";

    public static Task<EngineWorkerPool> StartPoolAsync(int workers, Action<EngineWorkerPoolOptions>? configure = null)
    {
        var options = new EngineWorkerPoolOptions { WorkerCount = workers };
        configure?.Invoke(options);
        return EngineWorkerPool.StartAsync(options);
    }

    public static EngineRequest Flite(string text, string voice = "kal16", double rate = 1.0) =>
        new(voice, text, new Prosody(rate, 1.0, 1.0));

    /// <summary>A request that keeps a worker busy for a long time unless its audio is read quickly.</summary>
    public static EngineRequest LongFlite() => Flite(LongText, "kal", rate: 0.25);

    /// <summary>Reads a whole stream into one buffer.</summary>
    public static async Task<Collected> CollectAsync(IAsyncEnumerable<AudioChunk> chunks, CancellationToken cancellationToken = default)
    {
        var samples = new List<float>();
        var words = new List<WordBoundary>();
        var rate = 0;
        await foreach (var chunk in chunks.WithCancellation(cancellationToken))
        {
            Assert.True(rate == 0 || rate == chunk.SampleRate, "The sample rate changed within one request.");
            rate = chunk.SampleRate;
            words.AddRange(chunk.Words.Select(w => w with { SampleOffset = w.SampleOffset + samples.Count }));
            samples.AddRange(chunk.Samples);
        }
        return new Collected([.. samples], rate, words);
    }

    /// <summary>Sends a signal to a process with the real kill(1).</summary>
    public static void Signal(int pid, string signal)
    {
        Assert.Equal(0, ProcessRunner.Run("kill", ["-" + signal, pid.ToString()]).ExitCode);
    }

    /// <summary>Whether a process with this id exists (a zombie counts: it has not been reaped).</summary>
    public static bool ProcessExists(int pid) => Directory.Exists($"/proc/{pid}");

    /// <summary>Polls until the condition holds; fails the test after <see cref="Patience"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < Patience, $"Timed out waiting until {what}.");
            await Task.Delay(20);
        }
    }

    /// <summary>Starts an enumeration and reads its first chunk, so a worker is busy with the request.</summary>
    public static async Task<IAsyncEnumerator<AudioChunk>> StartStreamingAsync(EngineWorkerPool pool, EngineRequest request,
        CancellationToken cancellationToken = default)
    {
        var stream = pool.SynthesizeAsync("flite", request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.NotEmpty(stream.Current.Samples);
        return stream;
    }

    /// <summary>Reads an enumeration to its end; returns the number of chunks.</summary>
    public static async Task<int> DrainAsync(IAsyncEnumerator<AudioChunk> stream)
    {
        var count = 0;
        while (await stream.MoveNextAsync().AsTask().WaitAsync(Patience)) count++;
        return count;
    }
}

/// <summary>All the audio of one request.</summary>
internal sealed record Collected(float[] Samples, int SampleRate, IReadOnlyList<WordBoundary> Words)
{
    public double Seconds => (double)Samples.Length / SampleRate;
}
