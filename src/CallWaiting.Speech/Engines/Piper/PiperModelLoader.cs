using CallWaiting.Speech.Engines.Onnx;

namespace CallWaiting.Speech.Engines.Piper;

/// <summary>
/// Finds Piper voices (<c>NAME.onnx</c> beside <c>NAME.onnx.json</c>, outside Kokoro model folders) under the models folder, loads each once and
/// warms it with one phonemize and one graph call. A model that fails any step is skipped with its reason, never fatal.
/// </summary>
public static class PiperModelLoader
{
    private const string WarmupText = "Warm up.";

    /// <summary>Loads every Piper voice under <paramref name="directory"/> (searched recursively); a missing folder has none.</summary>
    /// <returns>The engine (null when no model loaded) and one status per model file found.</returns>
    public static async Task<(PiperEngine? Engine, IReadOnlyList<ModelStatus> Report)> LoadAsync(string directory,
        OnnxSessionFactory sessions, IPhonemizer phonemizer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(phonemizer);
        var report = new List<ModelStatus>();
        var loaded = new List<(PiperModel, IReadOnlyList<(EngineVoice, long)>)>();
        if (!Directory.Exists(directory)) return (null, report);

        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // Graphs inside a Kokoro model folder are Kokoro's (KokoroModelLoader reports them), not Piper voices without a config.
        var kokoro = Kokoro.KokoroModelLoader.FindFolders(directory);
        foreach (var path in Directory.EnumerateFiles(directory, "*.onnx", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (Kokoro.KokoroModelLoader.IsInside(path, kokoro)) continue;
            cancellationToken.ThrowIfCancellationRequested();
            PiperModel? model = null;
            try
            {
                model = await LoadOneAsync(path, path + ".json", sessions, phonemizer, cancellationToken).ConfigureAwait(false);
                var voices = VoicesOf(path, model.Config);
                if (voices.FirstOrDefault(v => ids.Contains(v.Voice.Id)) is { Voice: not null } clash)
                    throw new InvalidDataException($"voice id '{clash.Voice.Id}' is already taken by another model");
                foreach (var (voice, _) in voices) ids.Add(voice.Id);
                loaded.Add((model, voices));
                report.Add(new ModelStatus(path, PiperEngine.EngineName, true, null, [.. voices.Select(v => v.Voice.Id)]));
            }
            catch (Exception e) when (e is InvalidDataException or EngineException or IOException or UnauthorizedAccessException)
            {
                model?.Dispose();
                report.Add(new ModelStatus(path, PiperEngine.EngineName, false, e.Message, []));
            }
        }
        return (loaded.Count == 0 ? null : new PiperEngine(loaded, phonemizer, sessions.Options.FirstSentenceCut), report);
    }

    /// <summary>
    /// Checks one voice by the same steps as <see cref="LoadAsync"/> (config, graph inputs and outputs, warm-up run) and
    /// releases it: the model manager's check before a file enters the models folder.
    /// </summary>
    /// <param name="path">The .onnx file.</param>
    /// <param name="configPath">Its config (a staged download is not yet named <c>NAME.onnx.json</c>).</param>
    /// <param name="stem">The file stem it will be installed under, which names its voices.</param>
    /// <param name="sessions">Opens the graph.</param>
    /// <param name="phonemizer">Phonemizes the warm-up text.</param>
    /// <param name="cancellationToken">Stops the check.</param>
    public static async Task<ModelStatus> CheckAsync(string path, string configPath, string stem, OnnxSessionFactory sessions,
        IPhonemizer phonemizer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stem);
        try
        {
            using var model = await LoadOneAsync(path, configPath, sessions, phonemizer, cancellationToken).ConfigureAwait(false);
            return new ModelStatus(path, PiperEngine.EngineName, true, null, [.. model.Config.Speakers.Select(s => VoiceId(stem, model.Config, s.Name))]);
        }
        catch (Exception e) when (e is InvalidDataException or EngineException or IOException or UnauthorizedAccessException)
        {
            return new ModelStatus(path, PiperEngine.EngineName, false, e.Message, []);
        }
    }

    /// <summary>A Piper voice's slug: <c>piper-</c> plus the file stem, lowercased, with runs of other characters as <c>-</c>.</summary>
    public static string Slug(string stem) => ModelVoiceSlug.From("piper", stem);

    private static async Task<PiperModel> LoadOneAsync(string path, string configPath, OnnxSessionFactory sessions, IPhonemizer phonemizer,
        CancellationToken cancellationToken)
    {
        if (!File.Exists(configPath)) throw new InvalidDataException($"no config: {Path.GetFileName(configPath)} is missing");
        var config = PiperConfig.Parse(await File.ReadAllTextAsync(configPath, cancellationToken).ConfigureAwait(false));
        var model = PiperModel.Open(path, config, sessions);
        try
        {
            IReadOnlyList<string> phonemes;
            if (config.PhonemeType == "text")
            {
                phonemes = PiperPhonemes.FromText(WarmupText);
            }
            else
            {
                try
                {
                    phonemes = PiperPhonemes.Sentences(await phonemizer.PhonemizeAsync(config.EspeakVoice, WarmupText, false, cancellationToken)
                        .ConfigureAwait(false))[0];
                }
                catch (EngineException e) when (e.Kind == EngineErrorKind.InvalidRequest)
                {
                    throw new InvalidDataException($"unknown espeak voice '{config.EspeakVoice}'", e);
                }
            }
            var ids = PiperPhonemes.ToIds(phonemes, config.PhonemeIdMap, out _);
            try
            {
                await model.RunAsync(ids, config.LengthScale, config.Speakers[0].Id, mayQueue: true, cancellationToken).ConfigureAwait(false);
            }
            catch (EngineException e) when (e.Kind == EngineErrorKind.EngineFailure)
            {
                throw new InvalidDataException($"warm-up run failed: {e.Message}", e);
            }
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    // Size and write time of the graph, and a hash of its config: a replaced or re-downloaded model gets new cache keys
    // without reading (and hashing) tens of megabytes at every start.
    private static string ModelVersion(string path)
    {
        var graph = new FileInfo(path);
        var config = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path + ".json")))[..16];
        return $"{graph.Length}-{graph.LastWriteTimeUtc.Ticks}-{config}";
    }

    private static (EngineVoice Voice, long Speaker)[] VoicesOf(string path, PiperConfig config)
    {
        var stem = Path.GetFileNameWithoutExtension(path);
        var version = ModelVersion(path);
        var quality = config.Quality is null ? "" : $", {config.Quality}";
        return [.. config.Speakers.Select(s =>
        {
            var id = VoiceId(stem, config, s.Name);
            var name = config.MultiSpeaker ? $"Piper {stem} ({s.Name}{quality})" : $"Piper {stem}{(quality.Length > 0 ? $" ({config.Quality})" : "")}";
            return (new EngineVoice(id, PiperEngine.EngineName, id, name, config.Language, VoiceGender.Neutral, config.SampleRate, VoiceQuality.Neural, version), s.Id);
        })];
    }

    private static string VoiceId(string stem, PiperConfig config, string speaker) => config.MultiSpeaker ? Slug(stem + "-" + speaker) : Slug(stem);
}
