using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Governance.Bench;

/// <summary>HTTP/1.1 calls to the gateway with a bearer token per call; any unexpected status throws.</summary>
public sealed class GatewayClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;

    public GatewayClient(Uri baseAddress, int connections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Task<TResponse> GetAsync<TResponse>(string path, string token, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, token, null, responseType, cancellationToken);

    public Task<TResponse> PostAsync<TRequest, TResponse>(
        string path, string token, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, token, JsonContent(body, requestType), responseType, cancellationToken);

    public Task<TResponse> PutAsync<TRequest, TResponse>(
        string path, string token, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, path, token, JsonContent(body, requestType), responseType, cancellationToken);

    /// <summary>A POST whose answer is only counted: the status code, the body read and dropped; never throws on a status.</summary>
    public async Task<HttpStatusCode> PostForStatusAsync<TRequest>(
        string path, string token, TRequest body, JsonTypeInfo<TRequest> requestType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent(body, requestType) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request, cancellationToken);
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return response.StatusCode;
    }

    public void Dispose() => _http.Dispose();

    private static ByteArrayContent JsonContent<T>(T body, JsonTypeInfo<T> type)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, type));
        content.Headers.ContentType = Json;
        return content;
    }

    private async Task<TResponse> SendAsync<TResponse>(
        HttpMethod method, string path, string token, HttpContent? content, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.Accepted))
        {
            throw new BenchException($"{method} {path}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(bytes)}");
        }

        return JsonSerializer.Deserialize(bytes, responseType)
            ?? throw new BenchException($"{method} {path}: empty answer");
    }
}
