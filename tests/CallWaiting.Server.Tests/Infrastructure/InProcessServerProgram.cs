using CallWaiting.Server.Hosting;

namespace CallWaiting.Server.Tests.Infrastructure;

/// <summary>
/// This test assembly's entry point, which only <see cref="InProcessServer"/> runs: WebApplicationFactory starts the
/// server through an entry point, with its own arguments, and takes over the host it builds. The test runner never calls it.
/// </summary>
public sealed class InProcessServerProgram
{
    private InProcessServerProgram()
    {
    }

    /// <summary>Builds and runs the server exactly as <c>callwaiting serve</c> does.</summary>
    public static void Main(string[] args) => CallWaitingServer.Build(args).Run();
}
