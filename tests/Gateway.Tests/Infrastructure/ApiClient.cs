using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Governance.Gateway.Tests.Infrastructure;

/// <summary>Sends requests to the silo's gateway with one Authorization header (or none) and reads every answer in full.</summary>
public sealed class ApiClient(HttpClient http, AuthenticationHeaderValue? authorization)
{
    public Task<ApiResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<ApiResponse> PostAsync(string path, object body) => SendAsync(HttpMethod.Post, path, Json(body));

    public Task<ApiResponse> PostRawAsync(string path, string body, string mediaType = "application/json") =>
        SendAsync(HttpMethod.Post, path, new StringContent(body, Encoding.UTF8, mediaType));

    public Task<ApiResponse> PutAsync(string path, object body) => SendAsync(HttpMethod.Put, path, Json(body));

    public Task<ApiResponse> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, HttpContent? content, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.Authorization = authorization;
        configure?.Invoke(request);

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new ApiResponse($"{method} {path}", response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, headers);
    }

    /// <summary>The body as JSON, with the property names exactly as written (the wire's snake_case).</summary>
    private static StringContent Json(object body) =>
        new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
