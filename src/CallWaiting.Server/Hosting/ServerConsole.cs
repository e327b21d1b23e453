namespace CallWaiting.Server.Hosting;

/// <summary>Where the server prints what a person must see once (the bootstrap key), apart from the logs.</summary>
/// <param name="output">The writer; standard output for the CLI.</param>
public sealed class ServerConsole(TextWriter output)
{
    /// <summary>Writes one line and flushes it at once.</summary>
    public void WriteLine(string line)
    {
        lock (output)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
