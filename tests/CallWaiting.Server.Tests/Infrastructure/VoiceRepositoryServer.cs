using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Net;
using System.Net.Sockets;

namespace CallWaiting.Server.Tests.Infrastructure;

/// <summary>
/// Piper's voice repository on loopback (HttpListener): the repo's generated voices in Hugging Face's file layout
/// (<c>en/en_US/NAME/QUALITY/en_US-NAME-QUALITY.onnx</c>) with a <c>voices.json</c> manifest of sizes and MD5s. It
/// honours <c>Range</c>, records every request, and can cut graph downloads halfway or list a wrong checksum.
/// </summary>
public sealed class VoiceRepositoryServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _serving;
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly JsonObject _manifest = [];
    private readonly ConcurrentQueue<(string Path, string? Range)> _requests = new();
    private int _dropsLeft;

    private VoiceRepositoryServer(HttpListener listener, string baseUrl)
    {
        _listener = listener;
        BaseUrl = baseUrl;
        _serving = Task.Run(ServeAllAsync);
    }

    /// <summary>The base URL, as <c>Models:BaseUrl</c> takes it.</summary>
    public string BaseUrl { get; }

    /// <summary>Every request so far: its path and Range header.</summary>
    public IReadOnlyList<(string Path, string? Range)> Requests => [.. _requests];

    /// <summary>How many of the next <c>.onnx</c> responses are cut halfway (the connection closed after half the bytes).</summary>
    public int DropsLeft { get => Volatile.Read(ref _dropsLeft); set => Volatile.Write(ref _dropsLeft, value); }

    /// <summary>Starts an empty repository on a free loopback port.</summary>
    /// <remarks>
    /// HttpListener rather than Kestrel: its response stream writes straight to the socket, so a connection closed after
    /// a write has sent exactly those bytes, where Kestrel's abort discards what is still in its output pipe.
    /// </remarks>
    public static VoiceRepositoryServer Start()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var baseUrl = $"http://127.0.0.1:{port}/";
        var listener = new HttpListener();
        listener.Prefixes.Add(baseUrl);
        listener.Start();
        return new VoiceRepositoryServer(listener, baseUrl);
    }
    /// <summary>The repo's generated voice <paramref name="stem"/> (tests/models/piper).</summary>
    public static (byte[] Graph, byte[] Config) GeneratedVoice(string stem, string? graphFile = null)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "models", "piper");
        return (File.ReadAllBytes(Path.Combine(folder, graphFile ?? stem + ".onnx")), File.ReadAllBytes(Path.Combine(folder, stem + ".onnx.json")));
    }

    /// <summary>Publishes a voice under its key (<c>en_US-reveal-medium</c>); the manifest may list a wrong MD5 or size for its graph.</summary>
    /// <returns>The graph's path under the base URL.</returns>
    public string Publish(string key, byte[] graph, byte[] config, string? listedGraphMd5 = null, long? listedGraphSize = null)
    {
        var parts = key.Split('-');
        var (code, name, quality) = (parts[0], parts[1], parts[2]);
        var graphPath = $"{code.Split('_')[0]}/{code}/{name}/{quality}/{key}.onnx";
        var card = "Model card: generated test voice.\n"u8.ToArray();
        _files[graphPath] = graph;
        _files[graphPath + ".json"] = config;
        _files[$"{code.Split('_')[0]}/{code}/{name}/{quality}/MODEL_CARD"] = card;
        _manifest[key] = new JsonObject
        {
            ["key"] = key,
            ["name"] = name,
            ["language"] = new JsonObject { ["code"] = code, ["family"] = code.Split('_')[0], ["region"] = code.Split('_')[1] },
            ["quality"] = quality,
            ["num_speakers"] = 1,
            ["speaker_id_map"] = new JsonObject(),
            ["files"] = new JsonObject
            {
                [graphPath] = Entry(graph, listedGraphMd5, listedGraphSize),
                [graphPath + ".json"] = Entry(config),
                [$"{code.Split('_')[0]}/{code}/{name}/{quality}/MODEL_CARD"] = Entry(card),
            },
            ["aliases"] = new JsonArray(),
        };
        _files["voices.json"] = System.Text.Encoding.UTF8.GetBytes(_manifest.ToJsonString());
        return graphPath;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }

    private static JsonObject Entry(byte[] bytes, string? md5 = null, long? size = null) =>
        new() { ["size_bytes"] = size ?? bytes.Length, ["md5_digest"] = md5 ?? Convert.ToHexStringLower(MD5.HashData(bytes)) };

    private async Task ServeAllAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            try
            {
                Serve(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                // The client left; nothing to answer.
            }
        }
    }

    private void Serve(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath.TrimStart('/');
        var range = context.Request.Headers["Range"];
        _requests.Enqueue((path, range));
        var response = context.Response;
        if (!_files.TryGetValue(path, out var bytes))
        {
            response.StatusCode = 404;
            response.Close();
            return;
        }
        var from = 0;
        if (range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            from = int.Parse(range["bytes=".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
            if (from >= bytes.Length)
            {
                response.StatusCode = 416;
                response.Close();
                return;
            }
            response.StatusCode = 206;
            response.Headers["Content-Range"] = $"bytes {from}-{bytes.Length - 1}/{bytes.Length}";
        }
        response.ContentLength64 = bytes.Length - from;
        if (path.EndsWith(".onnx", StringComparison.Ordinal) && TakeDrop())
        {
            response.OutputStream.Write(bytes, from, (bytes.Length - from) / 2);
            response.Abort();
            return;
        }
        response.OutputStream.Write(bytes, from, bytes.Length - from);
        response.Close();
    }

    private bool TakeDrop()
    {
        int left;
        do
        {
            left = Volatile.Read(ref _dropsLeft);
            if (left <= 0) return false;
        }
        while (Interlocked.CompareExchange(ref _dropsLeft, left - 1, left) != left);
        return true;
    }
}
