using System.CommandLine;
using CallWaiting.Cli.Commands;

var root = new RootCommand("CallWaiting: self-hostable text-to-speech for phone lines, IVRs and voice agents.");
root.Subcommands.Add(SayCommand.Create());
root.Subcommands.Add(VoicesCommand.Create());
return await root.Parse(args).InvokeAsync();
