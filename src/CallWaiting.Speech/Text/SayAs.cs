namespace CallWaiting.Speech.Text;

/// <summary>An SSML &lt;say-as&gt; request: how to interpret its content.</summary>
/// <param name="Interpretation">The interpret-as value.</param>
/// <param name="Format">The format attribute, e.g. "mdy" for dates; null when absent.</param>
public sealed record SayAs(SayAsInterpretation Interpretation, string? Format = null);

/// <summary>The interpret-as values the front end understands.</summary>
public enum SayAsInterpretation
{
    /// <summary>Read each character ("characters" or "spell-out").</summary>
    Characters,
    /// <summary>Read each digit.</summary>
    Digits,
    /// <summary>A cardinal number.</summary>
    Cardinal,
    /// <summary>An ordinal number.</summary>
    Ordinal,
    /// <summary>A telephone number, read in digit groups.</summary>
    Telephone,
    /// <summary>A date, in the order the format names.</summary>
    Date,
    /// <summary>A time of day.</summary>
    Time,
    /// <summary>An amount of money.</summary>
    Currency,
}
