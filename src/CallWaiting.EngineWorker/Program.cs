using CallWaiting.Speech.Engines;
using CallWaiting.Speech.Engines.Espeak;
using CallWaiting.Speech.Engines.Flite;
using CallWaiting.Speech.Workers;

// An engine worker process: hosts the native engines and serves the parent's EngineWorkerPool over stdin/stdout.
return EngineWorkerHost.Run(new Dictionary<string, Func<INativeSynthesizer>>
{
    [FliteSynthesizer.EngineName] = () => new FliteSynthesizer(),
    [EspeakSynthesizer.EngineName] = () => new EspeakSynthesizer(),
});
