using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Governance.Crypto;
using Governance.Grains.Ledger;
using Governance.Grains.Wire;
using Governance.Storage.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Governance.Cli;

/// <summary>govctl: keys, signatures, evidence export and verification, database migration.</summary>
public static class GovctlCommands
{
    public static RootCommand Build()
    {
        var root = new RootCommand("govctl — model governance cluster tool");
        root.Subcommands.Add(Keygen());
        root.Subcommands.Add(Sign());
        root.Subcommands.Add(Submit());
        root.Subcommands.Add(Export());
        root.Subcommands.Add(VerifyLedger());
        root.Subcommands.Add(Db());
        return root;
    }

    private static Command Keygen()
    {
        var output = new Option<FileInfo>("--out") { Description = "File to write the private seed to (base64, mode 600).", Required = true };
        var command = new Command("keygen", "Create an Ed25519 key; prints the public key (base64) to register.") { output };
        command.SetAction(result =>
        {
            var file = result.GetValue(output)!;
            var pair = Ed25519.GenerateKeyPair();
            File.WriteAllText(file.FullName, Convert.ToBase64String(pair.Seed) + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            Console.WriteLine(Convert.ToBase64String(pair.PublicKey));
            return 0;
        });
        return command;
    }

    private static Command Sign()
    {
        var key = KeyOption();
        var command = new Command("sign", "Sign an approval document: reads the JSON of GET .../approval/document on stdin, prints the signature (base64).") { key };
        command.SetAction(async (result, cancellationToken) =>
        {
            var document = await Console.In.ReadToEndAsync(cancellationToken);
            Console.WriteLine(SignDocument(ReadSeed(result.GetValue(key)!), document));
            return 0;
        });
        return command;
    }

    private static Command Submit()
    {
        var url = UrlOption();
        var token = TokenOption();
        var model = new Option<string>("--model") { Description = "Model id.", Required = true };
        var key = KeyOption();
        var keyId = new Option<string>("--key-id") { Description = "The registered key id of the key.", Required = true };
        var command = new Command("submit", "Fetch a model's approval document, sign it and submit the signature.") { url, token, model, key, keyId };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var http = Client(result.GetValue(url)!, result.GetValue(token)!);
            var modelId = Uri.EscapeDataString(result.GetValue(model)!);
            var document = await http.GetStringAsync($"v1/models/{modelId}/approval/document", cancellationToken);
            var view = JsonSerializer.Deserialize(document, GovernanceJsonContext.Default.ApprovalDocumentView)!;
            var request = new SignatureRequest(view.ApprovalId, result.GetValue(keyId), SignDocument(ReadSeed(result.GetValue(key)!), document));
            using var content = new StringContent(JsonSerializer.Serialize(request, GovernanceJsonContext.Default.SignatureRequest), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync($"v1/models/{modelId}/approval/signatures", content, cancellationToken);
            Console.WriteLine(await response.Content.ReadAsStringAsync(cancellationToken));
            return response.IsSuccessStatusCode ? 0 : 1;
        });
        return command;
    }

    private static Command Export()
    {
        var url = UrlOption();
        var token = TokenOption();
        var model = new Option<string>("--model") { Description = "Model id (or _keys:{principal}).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "File to write the export to.", Required = true };
        var command = new Command("export", "Export a model's whole evidence ledger (every page) to a file.") { url, token, model, output };
        command.SetAction(async (result, cancellationToken) =>
        {
            using var http = Client(result.GetValue(url)!, result.GetValue(token)!);
            var modelId = Uri.EscapeDataString(result.GetValue(model)!);
            var entries = new List<JsonElement>();
            string? pageToken = null;
            do
            {
                var path = $"v1/models/{modelId}/evidence?limit=1000" + (pageToken is null ? "" : $"&page_token={pageToken}");
                var page = JsonSerializer.Deserialize(await http.GetStringAsync(path, cancellationToken), GovernanceJsonContext.Default.EvidencePage)!;
                entries.AddRange(page.Entries);
                pageToken = page.NextPageToken;
            }
            while (pageToken is not null);

            var export = JsonSerializer.Serialize(new EvidencePage(entries, null), GovernanceJsonContext.Default.EvidencePage);
            await File.WriteAllTextAsync(result.GetValue(output)!.FullName, export, cancellationToken);
            Console.WriteLine($"{entries.Count} entries");
            return 0;
        });
        return command;
    }

    private static Command VerifyLedger()
    {
        var file = new Option<FileInfo>("--file") { Description = "An evidence export ({\"entries\": [...]}).", Required = true };
        var head = new Option<string?>("--head") { Description = "The expected head hash (from GET /v1/models/{id}: evidence_head), to detect truncation." };
        var command = new Command("verify-ledger", "Recompute an exported evidence chain offline; exit 0 when valid.") { file, head };
        command.SetAction(async (result, cancellationToken) =>
        {
            var page = JsonSerializer.Deserialize(await File.ReadAllTextAsync(result.GetValue(file)!.FullName, cancellationToken), GovernanceJsonContext.Default.EvidencePage)!;
            var chainId = page.Entries.Count > 0 && page.Entries[0].TryGetProperty("model_id", out var id) ? id.GetString() ?? "" : "";
            var expectedHead = result.GetValue(head);
            var verification = expectedHead is null
                ? LedgerChain.Verify(chainId, page.Entries)
                : LedgerChain.Verify(chainId, page.Entries, page.Entries.Count, expectedHead);
            Console.WriteLine(JsonSerializer.Serialize(verification, GovernanceJsonContext.Default.ChainVerification));
            return verification.Valid ? 0 : 2;
        });
        return command;
    }

    private static Command Db()
    {
        var connection = new Option<string>("--connection") { Description = "Npgsql connection string (default: $ConnectionStrings__Governance)." };
        var migrate = new Command("migrate", "Apply the embedded SQL migrations.") { connection };
        migrate.SetAction(async (result, cancellationToken) =>
        {
            var connectionString = result.GetValue(connection) ?? Environment.GetEnvironmentVariable("ConnectionStrings__Governance");
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                Console.Error.WriteLine("Give --connection or set ConnectionStrings__Governance.");
                return 1;
            }

            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await new PostgresMigrator(dataSource, NullLogger<PostgresMigrator>.Instance).MigrateAsync(cancellationToken);
            Console.WriteLine("migrated");
            return 0;
        });
        return new Command("db", "Database administration.") { migrate };
    }

    private static string SignDocument(byte[] seed, string documentJson)
    {
        var view = JsonSerializer.Deserialize(documentJson, GovernanceJsonContext.Default.ApprovalDocumentView)
            ?? throw new InvalidOperationException("Expected the JSON of GET /v1/models/{id}/approval/document.");
        return Convert.ToBase64String(Ed25519.Sign(seed, Convert.FromBase64String(view.SigningInput)));
    }

    private static byte[] ReadSeed(FileInfo file) => Convert.FromBase64String(File.ReadAllText(file.FullName).Trim());

    private static HttpClient Client(string url, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static Option<FileInfo> KeyOption() => new("--key") { Description = "The private seed file written by keygen.", Required = true };

    private static Option<string> UrlOption() => new("--url") { Description = "Gateway URL.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };

    private static Option<string> TokenOption() => new("--token") { Description = "Bearer token.", Required = true };
}
