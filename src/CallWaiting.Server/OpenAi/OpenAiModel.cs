namespace CallWaiting.Server.OpenAi;

/// <summary>A model as OpenAI's GET /v1/models lists it.</summary>
/// <param name="Id">The model id to send as <c>model</c>.</param>
/// <param name="Object">Always "model".</param>
/// <param name="Created">Unix seconds.</param>
/// <param name="OwnedBy">Who serves it.</param>
public sealed record OpenAiModel(string Id, string Object, long Created, string OwnedBy);
