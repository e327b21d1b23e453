using System.Diagnostics;
using System.IO.Pipes;
using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Workers;

namespace CallWaiting.Speech.Tests.Workers;

/// <summary>The worker executable on its own, driven over its pipes exactly as the pool drives it.</summary>
public sealed class EngineWorkerProcessTests
{
    [Fact]
    public async Task Worker_says_hello_serves_a_request_and_exits_when_stdin_closes()
    {
        using var worker = StartWorker();
        using var reader = new FrameReader(worker.StandardOutput.BaseStream);
        using var writer = new FrameWriter(worker.StandardInput.BaseStream);

        var hello = WorkerMessages.ReadHello((await ReadAsync(reader, WorkerFrameType.Hello)).Span);
        Assert.Equal(worker.Id, hello.ProcessId);
        Assert.Contains(hello.Engines, e => e.Name == "flite" && e.Voices.Count > 0);

        WorkerMessages.WriteSynthesize(writer, 41, "flite", new EngineRequest("kal16", "Hello.", Prosody.Default));
        await writer.SendAsync();
        var samples = 0;
        while (true)
        {
            var frame = await reader.ReadAsync().AsTask().WaitAsync(WorkersKit.Patience);
            Assert.NotNull(frame);
            if (frame.Value.Type == WorkerFrameType.Done)
            {
                Assert.Equal(41u, WorkerMessages.ReadRequestId(frame.Value.Payload.Span));
                break;
            }
            Assert.Equal(WorkerFrameType.Audio, frame.Value.Type);
            var (id, chunk) = WorkerMessages.ReadAudio(frame.Value.Payload.Span);
            Assert.Equal(41u, id);
            samples += chunk.Samples.Length;
        }
        Assert.True(samples > 0);

        worker.StandardInput.Close();
        await worker.WaitForExitAsync().WaitAsync(WorkersKit.Patience);
        Assert.Equal(0, worker.ExitCode);
    }

    [Fact]
    public async Task Worker_points_its_stdout_at_stderr_so_native_prints_cannot_corrupt_frames()
    {
        using var worker = StartWorker();
        using var reader = new FrameReader(worker.StandardOutput.BaseStream);
        await ReadAsync(reader, WorkerFrameType.Hello);

        var fd = $"/proc/{worker.Id}/fd/";
        var stderr = new FileInfo(fd + "2").LinkTarget;
        Assert.Equal(stderr, new FileInfo(fd + "1").LinkTarget);
        // The protocol still reaches the pipe we read, through another descriptor.
        var ourEnd = worker.StandardOutput.BaseStream switch
        {
            PipeStream pipe => (int)pipe.SafePipeHandle.DangerousGetHandle(),
            FileStream file => (int)file.SafeFileHandle.DangerousGetHandle(),
            var other => throw new InvalidOperationException($"Unexpected stdout stream {other.GetType()}."),
        };
        var protocolPipe = new FileInfo($"/proc/self/fd/{ourEnd}").LinkTarget;
        Assert.StartsWith("pipe:", protocolPipe);
        Assert.NotEqual(protocolPipe, stderr);
        Assert.Contains(Directory.GetFiles(fd), f => Path.GetFileName(f) != "1" && new FileInfo(f).LinkTarget == protocolPipe);

        worker.StandardInput.Close();
        await worker.WaitForExitAsync().WaitAsync(WorkersKit.Patience);
    }

    [Fact]
    public async Task Worker_answers_an_unknown_engine_with_an_error_frame()
    {
        using var worker = StartWorker();
        using var reader = new FrameReader(worker.StandardOutput.BaseStream);
        using var writer = new FrameWriter(worker.StandardInput.BaseStream);
        await ReadAsync(reader, WorkerFrameType.Hello);

        WorkerMessages.WriteSynthesize(writer, 5, "piper", new EngineRequest("x", "Hi.", Prosody.Default));
        await writer.SendAsync();
        var error = WorkerMessages.ReadError((await ReadAsync(reader, WorkerFrameType.Error)).Span);

        Assert.Equal(5u, error.RequestId);
        Assert.Equal(EngineErrorKind.InvalidRequest, error.Kind);
        worker.StandardInput.Close();
        await worker.WaitForExitAsync().WaitAsync(WorkersKit.Patience);
    }

    [Fact]
    public async Task Worker_exits_with_an_error_on_a_corrupt_frame_from_its_parent()
    {
        using var worker = StartWorker();
        using var reader = new FrameReader(worker.StandardOutput.BaseStream);
        await ReadAsync(reader, WorkerFrameType.Hello);

        // A length far over the limit: the worker must not try to allocate or read it.
        await worker.StandardInput.BaseStream.WriteAsync(new byte[] { 0xFF, 0xFF, 0xFF, 0x7F, (byte)WorkerFrameType.Synthesize });
        await worker.StandardInput.BaseStream.FlushAsync();

        await worker.WaitForExitAsync().WaitAsync(WorkersKit.Patience);
        Assert.Equal(2, worker.ExitCode);
    }

    private static Process StartWorker()
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "CallWaiting.EngineWorker"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<ReadOnlyMemory<byte>> ReadAsync(FrameReader reader, WorkerFrameType expected)
    {
        var frame = await reader.ReadAsync().AsTask().WaitAsync(WorkersKit.Patience);
        Assert.NotNull(frame);
        Assert.Equal(expected, frame.Value.Type);
        return frame.Value.Payload.ToArray();
    }
}
