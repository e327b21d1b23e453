using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Net;
using System.Net.Sockets;

namespace CallWaiting.Server.Tests.Infrastructure;

/// <summary>
/// Piper's voice repository on loopback (HttpListener): the repo's generated voices in Hugging Face's file layout
/// (<c>en/en_US/NAME/QUALITY/en_US-NAME-QUALITY.onnx</c>) with a <c>voices.json</c> manifest of sizes and MD5s; and,
/// as the hub itself, a Kokoro repository with its file listing (<see cref="PublishKokoro"/>). It honours <c>Range</c>, records every request, and can cut graph downloads halfway or list a wrong checksum.
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

    /// <summary>The Kokoro repository <see cref="PublishKokoro"/> fills, under the hub's name.</summary>
    public const string KokoroRepository = "onnx-community/Kokoro-82M-v1.0-ONNX";

    /// <summary>The base URL, as <c>Models:BaseUrl</c> (and, for Kokoro, <c>Models:HubUrl</c>) takes it.</summary>
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

    /// <summary>
    /// Publishes the repo's generated Kokoro files (tests/models/kokoro) in onnx-community's layout under
    /// <see cref="KokoroRepository"/>: config.json naming only the model type, tokenizer.json holding the vocabulary
    /// (with the pad <c>$</c> as 0), onnx/model.onnx (the onnx-community export) and onnx/model_quantized.onnx (the v0.19
    /// one), voices/af_test.bin and bm_test.bin (voices.npz's arrays as raw float32), and the hub's listing of them,
    /// LFS files with their SHA-256; the listing may give <paramref name="listedGraphSha256"/> for model.onnx.
    /// </summary>
    /// <returns>The published files by their path in the repository.</returns>
    public IReadOnlyDictionary<string, byte[]> PublishKokoro(string? listedGraphSha256 = null)
    {
        static string Generated(string file) => Path.Combine(AppContext.BaseDirectory, "models", "kokoro", file);
        var vocab = new JsonObject { ["$"] = 0 };
        foreach (var (symbol, id) in JsonNode.Parse(File.ReadAllText(Generated("config.json")))!["vocab"]!.AsObject()) vocab[symbol] = id!.GetValue<long>();
        var tokenizer = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(),
            ["model"] = new JsonObject { ["type"] = "WordLevel", ["vocab"] = vocab, ["unk_token"] = "$" },
        };
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [".gitattributes"] = "*.onnx filter=lfs diff=lfs merge=lfs -text\n*.bin filter=lfs diff=lfs merge=lfs -text\n"u8.ToArray(),
            ["README.md"] = "Generated test model.\n"u8.ToArray(),
            ["config.json"] = """{"model_type": "style_text_to_speech_2"}"""u8.ToArray(),
            ["tokenizer.json"] = System.Text.Encoding.UTF8.GetBytes(tokenizer.ToJsonString()),
            ["onnx/model.onnx"] = File.ReadAllBytes(Generated("kokoro-community.onnx")),
            ["onnx/model_quantized.onnx"] = File.ReadAllBytes(Generated("kokoro-v0_19.onnx")),
        };
        using (var npz = System.IO.Compression.ZipFile.OpenRead(Generated("voices.npz")))
        {
            foreach (var entry in npz.Entries)
            {
                using var stream = entry.Open();
                using var bytes = new MemoryStream();
                stream.CopyTo(bytes);
                // A .bin pack is the .npy array's data without its header: 510 × 1 × 256 float32.
                files[$"voices/{Path.GetFileNameWithoutExtension(entry.Name)}.bin"] = bytes.ToArray()[^(510 * 256 * sizeof(float))..];
            }
        }

        var listing = new JsonArray(new JsonObject { ["type"] = "directory", ["oid"] = GitOid("onnx"u8.ToArray()), ["size"] = 0, ["path"] = "onnx" },
            new JsonObject { ["type"] = "directory", ["oid"] = GitOid("voices"u8.ToArray()), ["size"] = 0, ["path"] = "voices" });
        foreach (var (path, bytes) in files)
        {
            _files[$"{KokoroRepository}/resolve/main/{path}"] = bytes;
            var entry = new JsonObject { ["type"] = "file", ["oid"] = GitOid(bytes), ["size"] = bytes.Length, ["path"] = path };
            if (path.EndsWith(".onnx", StringComparison.Ordinal) || path.EndsWith(".bin", StringComparison.Ordinal))
            {
                // In git an LFS file is its pointer; the listing's oid is the pointer's, lfs.oid the content's SHA-256.
                var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
                var pointer = System.Text.Encoding.ASCII.GetBytes($"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {bytes.Length}\n");
                entry["oid"] = GitOid(pointer);
                entry["lfs"] = new JsonObject
                {
                    ["oid"] = path == "onnx/model.onnx" ? listedGraphSha256 ?? sha256 : sha256,
                    ["size"] = bytes.Length,
                    ["pointerSize"] = pointer.Length,
                };
            }
            listing.Add(entry);
        }
        _files[$"api/models/{KokoroRepository}/tree/main"] = System.Text.Encoding.UTF8.GetBytes(listing.ToJsonString());
        return files;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }

    private static string GitOid(byte[] bytes) =>
        Convert.ToHexStringLower(SHA1.HashData([.. System.Text.Encoding.ASCII.GetBytes($"blob {bytes.Length}\0"), .. bytes]));

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
