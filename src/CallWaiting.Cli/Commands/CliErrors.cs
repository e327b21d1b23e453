using System.Data.Common;
using CallWaiting.Server.Storage;
using Microsoft.Extensions.Options;

namespace CallWaiting.Cli.Commands;

/// <summary>Runs a command body and turns expected failures into one "error:" line and an exit code (2 bad input, 1 failure).</summary>
internal static class CliErrors
{
    /// <summary>Exit code for invalid input.</summary>
    public const int BadInput = 2;

    /// <summary>Exit code for a failure while doing valid work.</summary>
    public const int Failure = 1;

    /// <summary>Runs <paramref name="body"/>, mapping known exceptions to messages.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (ArgumentException e)
        {
            return Fail(BadInput, FirstSentence(e));
        }
        catch (OptionsValidationException e)
        {
            return Fail(BadInput, $"invalid configuration: {string.Join(" ", e.Failures)}");
        }
        catch (KeyNotFoundException e)
        {
            return Fail(BadInput, e.Message);
        }
        catch (InvalidOperationException e)
        {
            return Fail(Failure, e.Message);
        }
        catch (MigrationException e)
        {
            return Fail(Failure, e.Message);
        }
        catch (DbException e)
        {
            return Fail(Failure, $"database error: {e.Message}");
        }
    }

    /// <summary>Prints "error: message" to standard error and returns <paramref name="code"/>.</summary>
    public static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return code;
    }

    // ArgumentException appends " (Parameter 'x')"; the CLI's messages already say what is wrong.
    private static string FirstSentence(ArgumentException e) =>
        e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;
}
