using Governance.Bench;

// The benchmark driver of bench/run.sh. Each subcommand measures one thing and writes its figures
// as a JSON object (--out); `report` turns those files into the results table.
if (args.Length == 0)
{
    return Usage();
}

var arguments = BenchArguments.Parse(args.Skip(1));
try
{
    return args[0] switch
    {
        "setup-verify" => await VerifySetupCommand.RunAsync(arguments),
        "transitions" => await TransitionsCommand.RunAsync(arguments),
        "drift" => await DriftCommand.RunAsync(arguments),
        "drift-drain" => await DriftDrainCommand.RunAsync(arguments),
        "transitions-inproc" => await InProcessTransitionsCommand.RunAsync(arguments),
        "memory" => await MemoryCommand.RunAsync(arguments),
        "startup" => await StartupCommand.RunAsync(arguments),
        "cluster-failover" => await ClusterFailoverCommand.RunAsync(arguments),
        "cluster-expiry" => await ClusterExpiryCommand.RunAsync(arguments),
        "cpu" => CpuCommand.Run(arguments),
        "report" => ReportCommand.Run(arguments),
        _ => Usage(),
    };
}
catch (BenchException exception)
{
    Console.Error.WriteLine($"bench: {exception.Message}");
    return 1;
}
catch (Exception exception)
{
    Console.Error.WriteLine($"bench: {args[0]} failed: {exception}");
    return 1;
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage: Governance.Bench <command> [--option value ...]
          setup-verify --url U --models N --workers W --ids FILE
              create N deployed models through the API; write "id weights_hash" lines for wrk
          transitions  --url U --models N --workers W [--warmup-seconds S] [--silo-pid P] [--postmaster-pid P] --out FILE
              signature, signature (quorum) and deploy of N prepared models, W at a time
          drift        --url U --models N [--ingest-models M] --ingest-ids FILE --out FILE
              severe observation to verify = approval_revoked, one model at a time; then M trained
              models for the ingest window, their ids written to FILE for wrk
          drift-drain  --url U --ingest-ids FILE --go FILE --out FILE
              once the go FILE exists (the ingest window closed): time until every model has applied a marker posted then
          transitions-inproc --models N --out FILE
              the same transitions on the grains in process, memory storage: the domain's own cost
          memory       --models N --out FILE
              managed bytes per warm activation, in process
          startup      --silo PATH --url U --runs N [--env KEY=VALUE ...] --label L [--log FILE] --out FILE
              time from process start to GET /health/ready = 200
          cluster-failover --silo PATH --connection CS [--kills N] [--models M] --out FILE
              3 silo processes; per round M fresh models, SIGKILL of one silo, time to the first write on each model it held
          cluster-expiry --silo PATH --connection CS [--approvals N] [--window-seconds W] --out FILE
              3 silo processes; N approvals due within W seconds, each one's approval_expired lag behind its expires_at
              (both: [--cluster-id ID] [--http-port P] [--silo-port P] [--gateway-port P] [--log-dir D]; silo i on each port + i)
          cpu          [--silo-pid P] [--postmaster-pid P] --out FILE
              CPU used so far by the silo and by PostgreSQL (sampled around wrk and pgbench)
          report       --dir DIR --out FILE [--batch-size N]
              the results table from the JSON files in DIR
        """);
    return 2;
}
