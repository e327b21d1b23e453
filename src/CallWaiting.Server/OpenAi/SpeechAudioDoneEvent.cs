namespace CallWaiting.Server.OpenAi;

/// <summary>The last SSE event of a streamed speech response: <c>{"type":"speech.audio.done","usage":{…}}</c>.</summary>
/// <param name="Type">Always "speech.audio.done".</param>
/// <param name="Usage">What the request used.</param>
public sealed record SpeechAudioDoneEvent(string Type, OpenAiUsage Usage);
