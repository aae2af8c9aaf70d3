using System.Text;

namespace Personalization.Api.Tests.Cluster;

/// <summary>Requests that come back as <see cref="ApiResponse"/>.</summary>
public static class ApiClientExtensions
{
    public static async Task<ApiResponse> GetApiAsync(this HttpClient client, string url, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await ApiResponse.ReadAsync(await client.SendAsync(request));
    }

    public static async Task<ApiResponse> PostJsonAsync(this HttpClient client, string url, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await ApiResponse.ReadAsync(await client.PostAsync(url, content));
    }

    /// <summary>Any method, an optional JSON body and raw headers (credentials among them).</summary>
    public static async Task<ApiResponse> SendApiAsync(this HttpClient client, HttpMethod method, string url, string? json = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, url);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await ApiResponse.ReadAsync(await client.SendAsync(request));
    }
}
