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
}
