using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using CallWaiting.Server.Realtime;
using CallWaiting.Speech.Audio;
using CallWaiting.Speech.Codecs;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Server.Tests.Realtime;

/// <summary>
/// The sender alone, over a real WebSocket on a loopback TCP connection: barge-in drops, the back-log it counts, and the
/// one stream it writes across utterances, decoded with sox and opusdec.
/// </summary>
public sealed class SessionSenderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Frames_of_a_cleared_generation_are_dropped_while_messages_that_survive_barge_in_go_out_and_the_backlog_drains()
    {
        await using var pair = await SocketPair.OpenAsync();
        var queue = new UtteranceQueue(8);
        using var sender = new SessionSender(pair.Server, Config(AudioFormat.Pcm16, 24000), queue, TimeProvider.System, () => { });
        sender.Enqueue(Audio(generation: 0, Tone(24000, 0.5)));
        queue.Clear();
        sender.EnqueueText(OutboundMessage.Always, ServerMessages.Cleared());
        var after = Tone(24000, 0.25);
        sender.Enqueue(Audio(generation: 1, after));
        sender.Complete();

        Assert.Equal(18_000, sender.Backlog);
        var room = sender.WaitForRoomAsync(1, CancellationToken.None);
        Assert.False(room.IsCompleted);

        Assert.Equal(SendEnd.Drained, await sender.RunAsync(CancellationToken.None).WaitAsync(Patience));
        await room.WaitAsync(Patience);
        Assert.Equal(0, sender.Backlog);
        var frames = await pair.ReceiveAsync(2);
        Assert.Equal("cleared", JsonDocument.Parse(frames[0].Data).RootElement.GetProperty("type").GetString());
        Assert.Equal(WebSocketMessageType.Binary, frames[1].Type);
        Assert.Equal(Pcm16(after), frames[1].Data);
    }

    [Fact]
    public async Task A_wav_stream_is_one_header_in_a_frame_of_its_own_then_every_utterances_pcm_as_queued()
    {
        await using var pair = await SocketPair.OpenAsync();
        var queue = new UtteranceQueue(8);
        using var sender = new SessionSender(pair.Server, Config(AudioFormat.Wav, 16000), queue, TimeProvider.System, () => { });
        float[] first = Tone(16000, 0.6), second = Tone(16000, 0.4);
        sender.StartStream();
        sender.Enqueue(Audio(0, first));
        sender.EndUtterance(0);
        sender.Enqueue(Audio(0, second));
        sender.EndUtterance(0);
        sender.CompleteStream();
        sender.Complete();
        Assert.Equal(SendEnd.Drained, await sender.RunAsync(CancellationToken.None).WaitAsync(Patience));

        var frames = await pair.ReceiveAsync(3);
        Assert.All(frames, f => Assert.Equal(WebSocketMessageType.Binary, f.Type));
        Assert.Equal(WavHeader.Size, frames[0].Data.Length);
        Assert.Equal("RIFF", Encoding.ASCII.GetString(frames[0].Data, 0, 4));
        Assert.Equal([.. Pcm16(first), .. Pcm16(second)], frames.Skip(1).SelectMany(f => f.Data).ToArray());

        var wav = frames.SelectMany(f => f.Data).ToArray();
        var (_, rate, samples) = await ServerAudio.WaveFramesAsync(wav);
        Assert.Equal((16000, 16_000L), (rate, samples));
        Assert.True((await ServerAudio.AnalyzeAsync(wav, "wav")).RmsAmplitude > 0.1);
    }

    [Theory]
    [InlineData(AudioFormat.Mp3, 24000)]
    [InlineData(AudioFormat.Opus, 48000)]
    public async Task Utterances_encoded_as_they_go_out_form_one_stream_whose_words_are_placed_after_the_flush_padding(AudioFormat format, int rate)
    {
        await using var pair = await SocketPair.OpenAsync();
        var queue = new UtteranceQueue(8);
        using var sender = new SessionSender(pair.Server, Config(format, rate), queue, TimeProvider.System, () => { });
        Assert.True(sender.Encodes);
        sender.StartStream();
        sender.Enqueue(Audio(0, Tone(rate, 1.01), [new WordTiming("one", 0, 400)], EncoderStep.Encode));
        sender.EndUtterance(0);
        sender.Enqueue(Audio(0, Tone(rate, 1.0), [new WordTiming("two", 100, 500)], EncoderStep.Encode));
        sender.EndUtterance(0);
        sender.CompleteStream();
        sender.Complete();
        Assert.Equal(SendEnd.Drained, await sender.RunAsync(CancellationToken.None).WaitAsync(Patience));

        var frames = await pair.ReceiveAllAsync();
        var starts = frames.Where(f => f.Type == WebSocketMessageType.Text)
            .Select(f => JsonDocument.Parse(f.Data).RootElement.GetProperty("words")[0].GetProperty("start_ms").GetInt64()).ToList();
        Assert.Equal(2, starts.Count);
        Assert.Equal(0, starts[0]);
        // After the first utterance's 1010 ms and the padding its flush added (not a frame multiple, so there is some), plus the word's 100 ms.
        Assert.InRange(starts[1], 1111, 1400);

        var stream = frames.Where(f => f.Type == WebSocketMessageType.Binary).SelectMany(f => f.Data).ToArray();
        var audio = format == AudioFormat.Mp3
            ? await ServerAudio.AnalyzeAsync(stream, "mp3")
            : await OpusStatsAsync(stream);
        Assert.Equal(rate, audio.SampleRate);
        // The second utterance starts where its word placement says (start - 100 ms), lasts a second, then the last flush's padding.
        var secondStarts = (starts[1] - 100) / 1000.0;
        Assert.InRange(audio.Seconds, secondStarts + 1.0 - 0.03, secondStarts + 1.0 + 0.2);
        Assert.True(audio.RmsAmplitude > 0.1, $"RMS {audio.RmsAmplitude}");
    }

    private static async Task<ServerAudio.Stats> OpusStatsAsync(byte[] stream)
    {
        var (decoded, rate) = await ServerAudio.AnalyzeOpusAsync(stream);
        return decoded with { SampleRate = rate };
    }

    private static SessionConfig Config(AudioFormat format, int rate) => new("james-en-us", format, rate, 1.0, SessionMode.Default, null, false);

    private static OutboundMessage Audio(long generation, float[] samples, IReadOnlyList<WordTiming>? words = null, EncoderStep step = EncoderStep.None) =>
        new(generation, Pcm16(samples), Binary: true, samples.Length, words, Step: step);

    private static float[] Tone(int rate, double seconds) =>
        Enumerable.Range(0, (int)(rate * seconds)).Select(i => 0.5f * MathF.Sin(2 * MathF.PI * 440 * i / rate)).ToArray();

    private static byte[] Pcm16(float[] samples)
    {
        var pcm = new short[samples.Length];
        Pcm.FloatToPcm16(samples, pcm);
        return MemoryMarshal.AsBytes(pcm.AsSpan()).ToArray();
    }

    /// <summary>Both ends of a WebSocket over a loopback TCP connection.</summary>
    private sealed class SocketPair : IAsyncDisposable
    {
        private readonly TcpClient _serverTcp;
        private readonly TcpClient _clientTcp;

        private SocketPair(TcpClient serverTcp, TcpClient clientTcp)
        {
            _serverTcp = serverTcp;
            _clientTcp = clientTcp;
            Server = WebSocket.CreateFromStream(serverTcp.GetStream(), new WebSocketCreationOptions { IsServer = true });
            Client = WebSocket.CreateFromStream(clientTcp.GetStream(), new WebSocketCreationOptions { IsServer = false });
        }

        public WebSocket Server { get; }

        private WebSocket Client { get; }

        public static async Task<SocketPair> OpenAsync()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                var client = new TcpClient();
                var connecting = client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
                var server = await listener.AcceptTcpClientAsync();
                await connecting;
                return new SocketPair(server, client);
            }
            finally
            {
                listener.Stop();
            }
        }

        // Receives the next count messages.
        public async Task<List<(WebSocketMessageType Type, byte[] Data)>> ReceiveAsync(int count)
        {
            var messages = new List<(WebSocketMessageType, byte[])>();
            while (messages.Count < count) messages.Add(await ReceiveOneAsync());
            return messages;
        }

        // Receives until the sender closes the connection.
        public async Task<List<(WebSocketMessageType Type, byte[] Data)>> ReceiveAllAsync()
        {
            await Server.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            var messages = new List<(WebSocketMessageType, byte[])>();
            while (await ReceiveOneAsync() is { Item1: not WebSocketMessageType.Close } message) messages.Add(message);
            return messages;
        }

        public async ValueTask DisposeAsync()
        {
            Server.Abort();
            Client.Abort();
            Server.Dispose();
            Client.Dispose();
            _serverTcp.Dispose();
            _clientTcp.Dispose();
            await Task.CompletedTask;
        }

        private async Task<(WebSocketMessageType, byte[])> ReceiveOneAsync()
        {
            using var timeout = new CancellationTokenSource(Patience);
            var buffer = new byte[256 * 1024];
            var length = 0;
            while (true)
            {
                var result = await Client.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
                length += result.Count;
                if (result.EndOfMessage) return (result.MessageType, buffer[..length]);
            }
        }
    }
}
