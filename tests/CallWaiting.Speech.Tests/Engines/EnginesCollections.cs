namespace CallWaiting.Speech.Tests.Engines;

/// <summary>espeak-ng keeps its state process-global: its tests must never run in parallel with each other.</summary>
[CollectionDefinition("espeak", DisableParallelization = true)]
public sealed class EspeakCollection;

/// <summary>flite's voices are process-global objects: its tests run one at a time too.</summary>
[CollectionDefinition("flite", DisableParallelization = true)]
public sealed class FliteCollection;
