namespace CallWaiting.Server.Tts;

/// <summary>What POST /v1/cache/prewarm did with one prompt.</summary>
/// <param name="Index">The prompt's position in the request (from 0).</param>
/// <param name="Status">"rendered" (synthesized and stored; billed), "cached" (already there; not billed), "not_cacheable" or "failed".</param>
/// <param name="Bytes">Size of the stored rendering.</param>
/// <param name="AudioSeconds">Its duration.</param>
/// <param name="Code">Error code of a failed prompt.</param>
/// <param name="Detail">Error message of a failed prompt.</param>
public sealed record PrewarmResult(int Index, string Status, long? Bytes = null, double? AudioSeconds = null, string? Code = null, string? Detail = null);
