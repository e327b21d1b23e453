using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CallWaiting.Speech.Workers;

/// <summary>Moves the protocol off file descriptor 1 so that native libraries that print cannot corrupt frames.</summary>
internal static partial class WorkerStdio
{
    private const int StdoutFd = 1;
    private const int StderrFd = 2;

    /// <summary>
    /// Duplicates the real stdout for the protocol, then points fd 1 at stderr: from then on, printf output from
    /// native code (and Console.Out) lands in the worker's stderr, which the parent logs.
    /// </summary>
    public static Stream DetachProtocolOutput()
    {
        Console.Out.Flush();
        var protocolFd = dup(StdoutFd);
        if (protocolFd < 0) throw new IOException($"dup(1) failed with errno {Marshal.GetLastPInvokeError()}.");
        if (dup2(StderrFd, StdoutFd) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            close(protocolFd);
            throw new IOException($"dup2(2, 1) failed with errno {errno}.");
        }
        return new FileStream(new SafeFileHandle(protocolFd, ownsHandle: true), FileAccess.Write, bufferSize: 0);
    }

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int dup(int fd);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int dup2(int oldFd, int newFd);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int close(int fd);
}
