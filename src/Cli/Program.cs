using Governance.Cli;

return await GovctlCommands.Build().Parse(args).InvokeAsync();
