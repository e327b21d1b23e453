using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace CallWaiting.Server.Tests.Realtime;

/// <summary>A scripted WebSocket client over <see cref="ClientWebSocket"/>: sends JSON, and collects every frame in the background.</summary>
public sealed class RealtimeTestClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<RealtimeFrame> _frames = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private Task? _receiving;

    private RealtimeTestClient(ClientWebSocket socket) => _socket = socket;

    /// <summary>The socket.</summary>
    public ClientWebSocket Socket => _socket;

    /// <summary>Time since the client was created.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>A snapshot of the frames received so far.</summary>
    public List<RealtimeFrame> Frames
    {
        get
        {
            lock (_frames) return _frames.ToList();
        }
    }

    /// <summary>Connects with an API key header, or a token query, or neither; starts collecting frames unless told not to.</summary>
    public static async Task<RealtimeTestClient> ConnectAsync(Uri uri, string? apiKey = null, string? token = null, bool receive = true)
    {
        var socket = new ClientWebSocket();
        if (apiKey is not null) socket.Options.SetRequestHeader("x-api-key", apiKey);
        var target = token is null ? uri : new Uri($"{uri}?token={Uri.EscapeDataString(token)}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(target, timeout.Token);
        var client = new RealtimeTestClient(socket);
        if (receive) client._receiving = client.ReceiveLoopAsync();
        return client;
    }

    /// <summary>Tries to connect and returns the HTTP status the server refused the upgrade with.</summary>
    public static async Task<HttpStatusCode> RefusalAsync(Uri uri, string? apiKey = null, string? token = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (apiKey is not null) socket.Options.SetRequestHeader("x-api-key", apiKey);
        var target = token is null ? uri : new Uri($"{uri}?token={Uri.EscapeDataString(token)}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(target, timeout.Token));
        return socket.HttpStatusCode;
    }

    /// <summary>Sends one JSON text message.</summary>
    public Task SendAsync(string json, CancellationToken cancellationToken = default) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>Waits until a frame matches <paramref name="match"/>; returns it.</summary>
    public async Task<RealtimeFrame> WaitForAsync(Func<RealtimeFrame, bool> match, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = _clock.Elapsed + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var finished = _receiving is null || _receiving.IsCompleted; // read before the frames: a last frame is then seen
            if (Frames.FirstOrDefault(match) is { } found) return found;
            if (finished || _clock.Elapsed >= deadline)
                throw new Xunit.Sdk.XunitException($"No frame matched ({what ?? "condition"}); got: {Describe()}");
            await _arrived.WaitAsync(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Waits for the server's close frame.</summary>
    public Task<RealtimeFrame> WaitForCloseAsync(TimeSpan? timeout = null) =>
        WaitForAsync(f => f.Type == WebSocketMessageType.Close, timeout, "close frame");

    /// <summary>A short description of the frames received, for failure messages.</summary>
    public string Describe() => string.Join(", ", Frames.Select(f => f.Type switch
    {
        WebSocketMessageType.Binary => $"binary[{f.Data.Length}]",
        WebSocketMessageType.Close => $"close {(int?)f.CloseStatus} '{f.CloseReason}'",
        _ => f.Text.Length > 120 ? f.Text[..120] + "…" : f.Text,
    }).Take(40));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        if (_receiving is not null)
        {
            try
            {
                await _receiving;
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Aborted on purpose.
            }
        }

        _socket.Dispose();
        _arrived.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        while (true)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                Add(new RealtimeFrame(WebSocketMessageType.Close, [], _clock.Elapsed, result.CloseStatus, result.CloseStatusDescription));
                try
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }
                catch (WebSocketException)
                {
                    // The server may already have dropped the connection.
                }

                return;
            }

            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage) continue;
            Add(new RealtimeFrame(result.MessageType, message.ToArray(), _clock.Elapsed));
            message.SetLength(0);
        }
    }

    private void Add(RealtimeFrame frame)
    {
        lock (_frames) _frames.Add(frame);
        _arrived.Release();
    }
}
