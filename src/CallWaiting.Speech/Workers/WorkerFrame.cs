namespace CallWaiting.Speech.Workers;

/// <summary>One received frame; <see cref="Payload"/> belongs to the reader and is valid until its next read.</summary>
/// <param name="Type">The frame type.</param>
/// <param name="Payload">The payload bytes.</param>
internal readonly record struct WorkerFrame(WorkerFrameType Type, ReadOnlyMemory<byte> Payload);
