using System.Text.Json.Serialization;
using CallWaiting.Speech.Engines;

namespace CallWaiting.Speech.Workers;

/// <summary>What a worker announces once it has loaded its engines.</summary>
/// <param name="ProcessId">The worker's process id.</param>
/// <param name="Engines">The engines that loaded.</param>
/// <param name="Failures">The engines that did not load, and why.</param>
internal sealed record WorkerHello(int ProcessId, IReadOnlyList<WorkerEngineInfo> Engines, IReadOnlyList<WorkerEngineFailure> Failures);

/// <summary>One engine hosted by a worker.</summary>
/// <param name="Name">Engine name.</param>
/// <param name="Capabilities">What it can do.</param>
/// <param name="Voices">Its voices.</param>
internal sealed record WorkerEngineInfo(string Name, EngineCapabilities Capabilities, IReadOnlyList<EngineVoice> Voices);

/// <summary>An engine the worker could not load.</summary>
/// <param name="Engine">Engine name, or the synthesizer type when the name is unknown.</param>
/// <param name="Message">Why it failed.</param>
internal sealed record WorkerEngineFailure(string Engine, string Message);

/// <summary>Source-generated JSON metadata for the Hello payload (no reflection in the hot start-up path).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(WorkerHello))]
internal sealed partial class WorkerJsonContext : JsonSerializerContext;
