using System.CommandLine;
using CallWaiting.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;

namespace CallWaiting.Cli.Commands;

/// <summary>`callwaiting serve [--urls http://127.0.0.1:8004]`: runs the API server until SIGINT/SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = $"Listen address(es), ';'-separated (default {CallWaitingServer.DefaultUrls})." };
        var serve = new Command("serve", "Run the CallWaiting API server.") { urls };
        serve.SetAction((parse, _) => CliErrors.RunAsync(async () =>
        {
            await using var app = CallWaitingServer.Build([], parse.GetValue(urls));
            try
            {
                // The host handles SIGTERM itself, draining requests and flushing metering before it returns.
                await app.RunAsync();
                return 0;
            }
            catch (OptionsValidationException e)
            {
                return CliErrors.Fail(CliErrors.BadInput, $"invalid configuration: {string.Join(" ", e.Failures)}");
            }
            catch (IOException e)
            {
                return CliErrors.Fail(CliErrors.Failure, e.Message);
            }
        }));
        return serve;
    }
}
