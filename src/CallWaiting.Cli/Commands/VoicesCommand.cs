using System.CommandLine;
using System.Text.Json;
using CallWaiting.Speech.Synthesis;

namespace CallWaiting.Cli.Commands;

/// <summary>`callwaiting voices list [--json]`: prints the voice catalog.</summary>
internal static class VoicesCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON array with every voice." };
        var list = new Command("list", "List every voice the engines on this machine offer.") { json };
        list.SetAction((parse, ct) => CliErrors.RunAsync(async () =>
        {
            await using var runtime = await SpeechRuntime.StartAsync(CliSpeech.Options(workers: 1), cancellationToken: ct);
            var voices = runtime.Synthesizer.Catalog.Voices;
            if (parse.GetValue(json))
            {
                var rows = voices.Select(v => new VoiceRow(v.Id, v.Slug, v.DisplayName, v.Description, v.Language,
                    v.Gender.ToString().ToLowerInvariant(), v.Engine, v.EngineVoice.NativeName, v.EngineVoice.SampleRate,
                    v.EngineVoice.Quality.ToString().ToLowerInvariant(), true));
                Console.Out.WriteLine(JsonSerializer.Serialize(rows, CliJson.Default.IEnumerableVoiceRow));
                return 0;
            }
            Console.Out.WriteLine($"{"SLUG",-28} {"LANGUAGE",-14} {"GENDER",-8} {"ENGINE",-7} {"RATE",6}  NAME");
            foreach (var v in voices)
                Console.Out.WriteLine($"{v.Slug,-28} {v.Language,-14} {v.Gender.ToString().ToLowerInvariant(),-8} {v.Engine,-7} {v.EngineVoice.SampleRate,6}  {v.DisplayName}");
            Console.Out.WriteLine($"{voices.Count} voices");
            return 0;
        }));
        return new Command("voices", "Inspect the voice catalog.") { list };
    }
}
