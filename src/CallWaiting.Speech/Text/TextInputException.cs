namespace CallWaiting.Speech.Text;

/// <summary>The text or SSML cannot be spoken as given; the message names the problem and, for SSML, where it is.</summary>
public sealed class TextInputException : ArgumentException
{
    /// <summary>Creates the exception with a message that is safe to show to the caller.</summary>
    public TextInputException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
