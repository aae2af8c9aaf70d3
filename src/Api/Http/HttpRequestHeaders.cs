using Personalization.Grains.Context;

namespace Personalization.Api.Http;

/// <summary>The request's headers as auto context reads them (case-insensitive, first value).</summary>
internal sealed class HttpRequestHeaders(IHeaderDictionary headers) : IRequestHeaders
{
    public string? Get(string name) => headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
}
