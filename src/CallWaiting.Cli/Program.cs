using System.CommandLine;
using CallWaiting.Cli.Commands;

var root = new RootCommand("CallWaiting: self-hostable text-to-speech for phone lines, IVRs and voice agents.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(MigrateCommand.Create());
root.Subcommands.Add(TenantsCommand.Create());
root.Subcommands.Add(KeysCommand.Create());
root.Subcommands.Add(SayCommand.Create());
root.Subcommands.Add(VoicesCommand.Create());
root.Subcommands.Add(ModelsCommand.Create());

// No forced exit on SIGTERM: `serve` shuts down gracefully (drain, flush metering), which can take longer than a fixed timeout.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
