namespace CallWaiting.Server.Configuration;

/// <summary>An options class that checks itself: the one validation style of every configuration section.</summary>
public interface IValidatedOptions
{
    /// <summary>Every problem with these settings, each naming its setting (e.g. "Api:MaxTextLength must be …"); empty when valid.</summary>
    IEnumerable<string> Problems();
}
