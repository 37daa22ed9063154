namespace Governance.Grains.Drift;

/// <summary>The optional drift alert webhook (section <c>Governance:Drift</c>).</summary>
public sealed class DriftAlertOptions
{
    /// <summary>Each drift alert is POSTed here as JSON when set. Default: none (alerts are only logged).</summary>
    public Uri? AlertWebhookUrl { get; set; }

    /// <summary>Attempts per alert before it is dropped (and logged). Default: 5.</summary>
    public int AlertAttempts { get; set; } = 5;

    /// <summary>Wait before the second attempt; doubles each time, up to 30 seconds. Default: 1 second.</summary>
    public TimeSpan AlertInitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Timeout of one webhook request. Default: 5 seconds.</summary>
    public TimeSpan AlertTimeout { get; set; } = TimeSpan.FromSeconds(5);

    internal bool IsValid() =>
        AlertAttempts >= 1 && AlertInitialBackoff >= TimeSpan.Zero && AlertTimeout > TimeSpan.Zero
        && (AlertWebhookUrl is null || (AlertWebhookUrl.IsAbsoluteUri && AlertWebhookUrl.Scheme is "http" or "https"));
}
