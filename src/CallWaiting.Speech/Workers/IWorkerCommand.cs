namespace CallWaiting.Speech.Workers;

/// <summary>A request from the parent that a worker queues and serves in turn (Synthesize or Phonemize).</summary>
internal interface IWorkerCommand
{
    /// <summary>The parent's id for the request, echoed in every frame that answers it.</summary>
    uint RequestId { get; }
}
