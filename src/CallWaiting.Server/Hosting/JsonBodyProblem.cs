namespace CallWaiting.Server.Hosting;

/// <summary>Why a JSON request body was refused by <see cref="JsonRequestBody"/>; each API words its own error for it.</summary>
public enum JsonBodyProblem
{
    /// <summary>The Content-Type is not JSON (415).</summary>
    NotJson,

    /// <summary>The body is longer than the limit (413).</summary>
    TooLarge,

    /// <summary>The body is empty (400).</summary>
    Empty,

    /// <summary>The body is not valid UTF-8, the only encoding JSON bodies may use (400).</summary>
    InvalidUtf8,

    /// <summary>The body is not well-formed JSON, or nests too deep (400).</summary>
    Malformed,

    /// <summary>Something other than white space follows the JSON value (400).</summary>
    TrailingData,
}
