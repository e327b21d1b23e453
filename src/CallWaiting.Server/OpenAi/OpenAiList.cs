namespace CallWaiting.Server.OpenAi;

/// <summary>OpenAI's list envelope, <c>{"object":"list","data":[…]}</c>, which its SDKs page through.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Object">Always "list".</param>
/// <param name="Data">The items.</param>
public sealed record OpenAiList<T>(string Object, IReadOnlyList<T> Data)
{
    /// <summary>A list of <paramref name="items"/>.</summary>
    public static OpenAiList<T> Of(IReadOnlyList<T> items) => new("list", items);
}
