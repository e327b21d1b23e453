using CallWaiting.Speech.Engines.Onnx;

namespace CallWaiting.Speech.Engines.Kokoro;

/// <summary>
/// Finds Kokoro model folders under the models folder: a folder holding <c>config.json</c> (with the vocab, or a
/// <c>tokenizer.json</c> beside it that has it) and a <c>voices/</c> folder of <c>NAME.bin</c> packs or a <c>voices.npz</c> archive, with one graph (<c>model.onnx</c> when it holds
/// several). Each is loaded once and warmed with one phonemize and one graph call; a folder that fails any step is
/// skipped with its reason, never fatal.
/// </summary>
public static class KokoroModelLoader
{
    /// <summary>The files that make a folder a Kokoro model.</summary>
    public const string ConfigFile = KokoroConfig.ConfigFile, VoicesFolder = "voices", VoicesArchive = "voices.npz";

    private const string WarmupText = "Warm up.", PreferredGraph = "model.onnx";

    /// <summary>Whether <paramref name="folder"/> is a Kokoro model folder (config.json and voices/ or voices.npz).</summary>
    public static bool IsModelFolder(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return File.Exists(Path.Combine(folder, ConfigFile))
            && (Directory.Exists(Path.Combine(folder, VoicesFolder)) || File.Exists(Path.Combine(folder, VoicesArchive)));
    }

    /// <summary>Every Kokoro model folder at or under <paramref name="directory"/>; none when it does not exist.</summary>
    public static IReadOnlyList<string> FindFolders(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory)) return [];
        return [.. Directory.EnumerateDirectories(directory, "*", SearchOption.AllDirectories).Prepend(directory)
            .Where(IsModelFolder).Order(StringComparer.Ordinal)];
    }

    /// <summary>Whether <paramref name="file"/> lies inside one of <paramref name="folders"/> (the Piper loader leaves those graphs alone).</summary>
    public static bool IsInside(string file, IEnumerable<string> folders)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(folders);
        return folders.Any(f => file.StartsWith(Path.TrimEndingDirectorySeparator(f) + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }

    /// <summary>Loads every Kokoro model folder under <paramref name="directory"/>.</summary>
    /// <returns>The engine (null when no model loaded) and one status per folder found (its graph, or the folder when it has none).</returns>
    public static async Task<(KokoroEngine? Engine, IReadOnlyList<ModelStatus> Report)> LoadAsync(string directory,
        OnnxSessionFactory sessions, IPhonemizer phonemizer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(phonemizer);
        var report = new List<ModelStatus>();
        var loaded = new List<(EngineVoice, KokoroVoice)>();
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var folder in FindFolders(directory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = folder;
            KokoroModel? model = null;
            try
            {
                file = GraphOf(folder);
                var (config, configHash) = await KokoroConfig.ReadAsync(folder, cancellationToken).ConfigureAwait(false);
                var packs = Packs(folder);
                model = KokoroModel.Open(file, sessions);
                var voices = await WarmAsync(model, config, configHash, packs, phonemizer, cancellationToken).ConfigureAwait(false);
                if (voices.FirstOrDefault(v => ids.Contains(v.Voice.Id)) is { Voice: not null } clash)
                    throw new InvalidDataException($"voice id '{clash.Voice.Id}' is already taken by another model");
                foreach (var (voice, _) in voices) ids.Add(voice.Id);
                loaded.AddRange(voices);
                report.Add(new ModelStatus(file, KokoroEngine.EngineName, true, null, [.. voices.Select(v => v.Voice.Id)]));
            }
            catch (Exception e) when (e is InvalidDataException or EngineException or IOException or UnauthorizedAccessException)
            {
                model?.Dispose();
                report.Add(new ModelStatus(file, KokoroEngine.EngineName, false, e.Message, []));
            }
        }
        return (loaded.Count == 0 ? null : new KokoroEngine(loaded, phonemizer, sessions.Options.FirstSentenceCut), report);
    }

    /// <summary>The graph the loader takes from <paramref name="folder"/>: its only <c>.onnx</c>, or <c>model.onnx</c> among several.</summary>
    /// <exception cref="InvalidDataException">No graph, or several and none named <c>model.onnx</c>.</exception>
    public static string GraphOf(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var graphs = Directory.EnumerateFiles(folder, "*.onnx", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        if (graphs.Length == 1) return graphs[0];
        if (graphs.Length == 0) throw new InvalidDataException("no .onnx graph in the Kokoro folder");
        return graphs.FirstOrDefault(g => Path.GetFileName(g) == PreferredGraph)
            ?? throw new InvalidDataException($"{graphs.Length} graphs in the Kokoro folder ({string.Join(", ", graphs.Select(Path.GetFileName))}): keep one, or name it {PreferredGraph}");
    }

    // voices/NAME.bin files, then voices.npz entries whose name no file took.
    private static List<(KokoroVoicePack Pack, string Source)> Packs(string folder)
    {
        var packs = new List<(KokoroVoicePack, string)>();
        var voices = Path.Combine(folder, VoicesFolder);
        if (Directory.Exists(voices))
            packs.AddRange(Directory.EnumerateFiles(voices, "*.bin").Order(StringComparer.Ordinal).Select(f => (KokoroVoicePack.FromBin(f), f)));
        var archive = Path.Combine(folder, VoicesArchive);
        if (File.Exists(archive))
            packs.AddRange(KokoroVoicePack.FromNpz(archive).Where(p => packs.All(b => b.Item1.Name != p.Name)).Select(p => (p, archive)));
        if (packs.Count == 0) throw new InvalidDataException("no voice packs (voices/NAME.bin or NAME.npy in voices.npz)");
        return packs;
    }

    // One phonemize per language and one graph call; a language espeak-ng lacks leaves its voices out.
    private static async Task<List<(EngineVoice Voice, KokoroVoice Kokoro)>> WarmAsync(KokoroModel model, KokoroConfig config, string configHash,
        List<(KokoroVoicePack Pack, string Source)> packs, IPhonemizer phonemizer, CancellationToken cancellationToken)
    {
        var chunks = new Dictionary<string, IReadOnlyList<long[]>>(StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var espeak in packs.Select(p => KokoroVoice.LanguageOf(p.Pack.Name).Espeak).Distinct())
        {
            try
            {
                chunks[espeak] = KokoroTokens.Chunks(await phonemizer.PhonemizeAsync(espeak, WarmupText, false, cancellationToken).ConfigureAwait(false),
                    config.Vocab, out _);
            }
            catch (EngineException e) when (e.Kind == EngineErrorKind.InvalidRequest)
            {
                failures.Add($"unknown espeak voice '{espeak}'");
            }
        }
        var usable = packs.Where(p => chunks.ContainsKey(KokoroVoice.LanguageOf(p.Pack.Name).Espeak)).ToArray();
        if (usable.Length == 0) throw new InvalidDataException(string.Join("; ", failures));
        var (first, _) = usable[0];
        var warm = chunks[KokoroVoice.LanguageOf(first.Name).Espeak].FirstOrDefault() ?? [];
        try
        {
            await model.RunAsync(KokoroTokens.Padded(warm), first.Row(warm.Length), 1f, mayQueue: true, cancellationToken).ConfigureAwait(false);
        }
        catch (EngineException e) when (e.Kind == EngineErrorKind.EngineFailure)
        {
            throw new InvalidDataException($"warm-up run failed: {e.Message}", e);
        }
        var graph = new FileInfo(model.Path);
        return [.. usable.Select(p =>
        {
            var (espeak, tag) = KokoroVoice.LanguageOf(p.Pack.Name);
            var id = ModelVoiceSlug.From(KokoroEngine.EngineName, p.Pack.Name);
            var source = new FileInfo(p.Source);
            // The graph's size and write time, the config's hash and the pack file's size and time: a replaced model,
            // vocabulary or voice gets new cache keys.
            var version = $"{graph.Length}-{graph.LastWriteTimeUtc.Ticks}-{configHash}-{source.Length}-{source.LastWriteTimeUtc.Ticks}";
            var voice = new EngineVoice(id, KokoroEngine.EngineName, id, $"Kokoro {p.Pack.Name}", tag, KokoroVoice.GenderOf(p.Pack.Name),
                KokoroModel.SampleRate, VoiceQuality.Neural, version);
            return (voice, new KokoroVoice(model, config, p.Pack, espeak));
        })];
    }
}
