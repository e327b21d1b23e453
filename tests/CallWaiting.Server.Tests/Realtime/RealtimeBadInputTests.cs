using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using static CallWaiting.Server.Tests.Api.ApiTestHttp;

namespace CallWaiting.Server.Tests.Realtime;

/// <summary>Hostile and broken WebSocket clients get a close with a reason code, never hang the server, and free what they held.</summary>
[Collection(RealtimeServerCollection.Name)]
public sealed class RealtimeBadInputTests(RealtimeServerFixture fixture)
{
    private const string Config = """{"voice_id":"james-en-us","format":"pcm16"}""";

    [Theory]
    [InlineData("binary", null, WebSocketCloseStatus.InvalidMessageType, "Binary frames")]
    [InlineData("not json", null, WebSocketCloseStatus.PolicyViolation, "Malformed message")]
    [InlineData("[1,2,3]", null, WebSocketCloseStatus.PolicyViolation, "JSON object")]
    [InlineData("""{"text":"Hello there."}""", null, WebSocketCloseStatus.PolicyViolation, "Text before config")]
    [InlineData("""{"voice_id":"no-such-voice"}""", null, WebSocketCloseStatus.PolicyViolation, "was not found")]
    [InlineData("""{"voice_id":"james-en-us","format":"flac"}""", null, WebSocketCloseStatus.PolicyViolation, "'format'")]
    [InlineData("""{"voice_id":"james-en-us","format":"opus","sample_rate":44100}""", null, WebSocketCloseStatus.PolicyViolation, "'sample_rate' must be one of 8000, 12000, 16000, 24000, 48000 for opus")]
    [InlineData("""{"voice_id":"james-en-us","speed":9}""", null, WebSocketCloseStatus.PolicyViolation, "'speed'")]
    [InlineData("""{"voice_id":"james-en-us","mode":"twilio"}""", null, WebSocketCloseStatus.PolicyViolation, "stream_sid")]
    [InlineData(Config, Config, WebSocketCloseStatus.PolicyViolation, "only once")]
    [InlineData(Config, """{"text":42}""", WebSocketCloseStatus.PolicyViolation, "'text'")]
    [InlineData(Config, """{"hello":"world"}""", WebSocketCloseStatus.PolicyViolation, "Unrecognized message")]
    [InlineData(Config, """{"event":"bogus"}""", WebSocketCloseStatus.PolicyViolation, "Unknown event")]
    [InlineData(Config, "huge", WebSocketCloseStatus.MessageTooBig, "too big")]
    public async Task A_bad_message_closes_the_session_with_a_reason(string first, string? second, WebSocketCloseStatus expected, string reason)
    {
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.WebSocketUri, fixture.Server.BootstrapKey);
        await SendRawAsync(client, first);
        if (second is not null) await SendRawAsync(client, second);

        var close = await client.WaitForCloseAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(expected, close.CloseStatus);
        Assert.Contains(reason, close.CloseReason, StringComparison.Ordinal);
        await AssertServerHealthyAsync();
    }

    [Fact]
    public async Task An_idle_client_is_closed_with_1008()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.WebSocketUri, fixture.Server.BootstrapKey);
        await client.SendAsync(Config);
        await client.WaitForAsync(f => f.JsonType == "ready");
        var clock = Stopwatch.StartNew();
        var close = await client.WaitForCloseAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, close.CloseStatus);
        Assert.Contains("Idle timeout", close.CloseReason, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, RealtimeServerFixture.IdleTimeout - TimeSpan.FromSeconds(1), RealtimeServerFixture.IdleTimeout + TimeSpan.FromSeconds(5));
        await AssertServerHealthyAsync();
    }

    [Fact]
    public async Task A_slowloris_client_trickling_one_endless_message_is_closed()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.WebSocketUri, fixture.Server.BootstrapKey);
        await client.SendAsync(Config);
        await client.WaitForAsync(f => f.JsonType == "ready");

        // A message that never ends: one fragment every 400 ms never completes, so it never counts as activity.
        await client.Socket.SendAsync("""{"text":"a"""u8.ToArray(), WebSocketMessageType.Text, false, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(15) && !client.Frames.Any(f => f.Type == WebSocketMessageType.Close))
        {
            try
            {
                await client.Socket.SendAsync("a"u8.ToArray(), WebSocketMessageType.Text, false, CancellationToken.None);
            }
            catch (Exception e) when (e is WebSocketException or InvalidOperationException or ObjectDisposedException)
            {
                break; // the server has closed or dropped us
            }

            await Task.Delay(400);
        }

        var close = await client.WaitForCloseAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, close.CloseStatus);
        Assert.Contains("Idle timeout", close.CloseReason, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < RealtimeServerFixture.IdleTimeout + TimeSpan.FromSeconds(5), $"closed after {clock.Elapsed}");
        await AssertServerHealthyAsync();
    }

    [Fact]
    public async Task The_server_pings_and_answers_frame_level_garbage_with_a_protocol_error()
    {
        using var tcp = new TcpClient();
        var stream = await UpgradeAsync(tcp);

        // Keep-alive is 1 s: a ping (opcode 9) arrives although the client says nothing.
        var (opcode, _) = ReadFrame(stream);
        Assert.Equal(0x9, opcode);

        // A masked frame with the reserved opcode 3 is not WebSocket at all. The WebSocket answers with a 1002 close and
        // drops the connection at once, so the reset may overtake the close frame: either way the connection must end.
        await stream.WriteAsync(new byte[] { 0x83, 0x80, 1, 2, 3, 4 });
        var clock = Stopwatch.StartNew();
        try
        {
            byte[] payload;
            do
            {
                (opcode, payload) = ReadFrame(stream);
            }
            while (opcode != 0x8);
            Assert.Equal((int)WebSocketCloseStatus.ProtocolError, (payload[0] << 8) | payload[1]);
            Assert.Equal(0, stream.Read(new byte[1])); // and then the connection ends
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            // Reset before the close frame was read.
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the connection ended after {clock.Elapsed}");
        await AssertServerHealthyAsync();
    }

    [Fact]
    public async Task A_frame_header_claiming_more_than_the_limit_is_refused_at_once_with_1009()
    {
        using var tcp = new TcpClient();
        var stream = await UpgradeAsync(tcp);

        // A small valid message split across writes first, so the header walk has to follow frames, then a text frame
        // whose header claims 1 GiB (64-bit length, masked) and whose payload never comes.
        var config = Encoding.UTF8.GetBytes(Config);
        var frame = new byte[] { 0x81, (byte)(0x80 | config.Length), 0, 0, 0, 0 }.Concat(config).ToArray();
        await stream.WriteAsync(frame.AsMemory(0, 3));
        await stream.FlushAsync();
        await Task.Delay(50);
        await stream.WriteAsync(frame.AsMemory(3));
        await stream.WriteAsync(new byte[] { 0x81, 0xFF, 0, 0, 0, 0, 0x40, 0, 0, 0, 9, 8, 7, 6 });
        var clock = Stopwatch.StartNew();

        int opcode;
        byte[] payload;
        do
        {
            (opcode, payload) = ReadFrame(stream);
        }
        while (opcode != 0x8);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"refused after {clock.Elapsed}");
        Assert.Equal((int)WebSocketCloseStatus.MessageTooBig, (payload[0] << 8) | payload[1]);
        Assert.Contains("1073741824 bytes", Encoding.UTF8.GetString(payload, 2, payload.Length - 2), StringComparison.Ordinal);
        await AssertServerHealthyAsync();
    }

    [Fact]
    public async Task A_client_that_vanishes_mid_synthesis_leaves_no_busy_worker()
    {
        var client = await RealtimeTestClient.ConnectAsync(fixture.WebSocketUri, fixture.Server.BootstrapKey);
        await client.SendAsync(Config);
        await client.WaitForAsync(f => f.JsonType == "ready");
        var sentence = "This long announcement keeps the speech engine busy for quite a while, sentence after sentence. ";
        await client.SendAsync(System.Text.Json.JsonSerializer.Serialize(new { text = string.Concat(Enumerable.Repeat(sentence, 12)), flush = true }));
        await client.WaitForAsync(f => f.Type == WebSocketMessageType.Binary, what: "first audio");
        await client.DisposeAsync(); // aborts the TCP connection without a close handshake

        await WaitForMetricAsync("tts_engine_busy_workers", 0);
        await WaitForMetricAsync("tts_engine_queue_depth", 0);
        await WaitForMetricAsync("tts_ws_sessions_open", 0);
        await AssertServerHealthyAsync();
    }

    [Fact]
    public async Task A_client_that_does_not_read_meets_back_pressure_instead_of_a_growing_buffer()
    {
        var client = await RealtimeTestClient.ConnectAsync(fixture.WebSocketUri, fixture.Server.BootstrapKey, receive: false);
        await client.SendAsync(Config);

        // Sentences keep the synthesizer busy while this client never reads: the server must stop reading its text.
        var sentence = "Back pressure keeps memory bounded when a client never reads. ";
        var message = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new
        {
            text = string.Concat(Enumerable.Repeat(sentence, (RealtimeServerFixture.MaxMessageBytes - 100) / sentence.Length)),
        }));
        const long cap = 256L * 1024 * 1024;
        long sent = 0;
        var blocked = false;
        while (sent < cap)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await client.Socket.SendAsync(message, WebSocketMessageType.Text, true, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                blocked = true;
                break;
            }

            sent += message.Length;
        }

        Assert.True(blocked, $"The server read all {sent} bytes without pushing back");
        await client.DisposeAsync();
        await WaitForMetricAsync("tts_ws_sessions_open", 0);
        await WaitForMetricAsync("tts_engine_busy_workers", 0);
        await AssertServerHealthyAsync();
    }

    private async Task AssertServerHealthyAsync()
    {
        using var health = await fixture.Server.Client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        await using var fresh = await RealtimeTestClient.ConnectAsync(fixture.WebSocketUri, fixture.Server.BootstrapKey);
        await fresh.SendAsync(Config);
        await fresh.WaitForAsync(f => f.JsonType == "ready", TimeSpan.FromSeconds(10), "ready on a fresh session");
    }

    private async Task WaitForMetricAsync(string series, double expected)
    {
        var clock = Stopwatch.StartNew();
        double value;
        while ((value = await MetricAsync(fixture.Server.Client, series)) != expected && clock.Elapsed < TimeSpan.FromSeconds(15))
            await Task.Delay(200);
        var log = string.Join('\n', fixture.Server.Output.Split('\n').Where(l => !l.Contains("RequestLoggingMiddleware", StringComparison.Ordinal)).TakeLast(30));
        Assert.True(value == expected, $"{series} is {value}, expected {expected}; the server's last log lines other than requests:\n{log}");
    }

    private static async Task SendRawAsync(RealtimeTestClient client, string message)
    {
        switch (message)
        {
            case "binary":
                await client.Socket.SendAsync(new byte[] { 1, 2, 3, 4 }, WebSocketMessageType.Binary, true, CancellationToken.None);
                break;
            case "huge":
                var text = System.Text.Json.JsonSerializer.Serialize(new { text = new string('x', RealtimeServerFixture.MaxMessageBytes + 10) });
                await client.SendAsync(text);
                break;
            default:
                await client.SendAsync(message);
                break;
        }
    }

    // A WebSocket opened by hand, so a test can write frames no client library would send.
    private async Task<NetworkStream> UpgradeAsync(TcpClient tcp)
    {
        await tcp.ConnectAsync(IPAddress.Loopback, fixture.Server.BaseAddress.Port);
        var stream = tcp.GetStream();
        stream.ReadTimeout = 10_000;
        var handshake = $"GET /v1/tts/ws HTTP/1.1\r\nHost: {fixture.Server.BaseAddress.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + $"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nx-api-key: {fixture.Server.BootstrapKey}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(handshake));
        Assert.StartsWith("HTTP/1.1 101", ReadHeaders(stream), StringComparison.Ordinal);
        return stream;
    }

    private static string ReadHeaders(NetworkStream stream)
    {
        var headers = new StringBuilder();
        while (!headers.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            var b = stream.ReadByte();
            if (b < 0) throw new IOException("Connection closed during the handshake.");
            headers.Append((char)b);
        }

        return headers.ToString();
    }

    // Server frames are unmasked: FIN/opcode, length (7, 16 or 64 bit), payload.
    private static (int Opcode, byte[] Payload) ReadFrame(NetworkStream stream)
    {
        var head = ReadExactly(stream, 2);
        var length = head[1] & 0x7F;
        if (length == 126)
        {
            var extended = ReadExactly(stream, 2);
            length = (extended[0] << 8) | extended[1];
        }
        else if (length == 127)
        {
            throw new InvalidDataException("No frame this test provokes is that long.");
        }

        return (head[0] & 0x0F, ReadExactly(stream, length));
    }

    private static byte[] ReadExactly(NetworkStream stream, int count)
    {
        var buffer = new byte[count];
        stream.ReadExactly(buffer);
        return buffer;
    }
}
