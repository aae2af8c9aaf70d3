using FsCheck;
using Xunit;

namespace Personalization.Api.Tests.Fuzz;

/// <summary>
/// Seeded property-based fuzzing of every input surface over HTTP: whatever a client sends, the answer is below 500,
/// carries no internals, and the silo stays ready. Bounded for CI; <see cref="FuzzBudget"/> says how to run longer.
/// </summary>
[Collection(FuzzCollection.Name)]
[Trait("Category", "Fuzz")]
public sealed class InputSurfaceFuzzTests(FuzzSilo silo)
{
    [Fact]
    public Task Path_segments_of_every_route() => RunAsync(nameof(Path_segments_of_every_route), ClientRequests.PathSegments, 150);

    [Fact]
    public Task Every_query_parameter_of_the_inference_routes() => RunAsync(nameof(Every_query_parameter_of_the_inference_routes), ClientRequests.QueryStrings, 250);

    [Fact]
    public Task Headers_read_by_auto_context_and_caching() => RunAsync(nameof(Headers_read_by_auto_context_and_caching), ClientRequests.ContextHeaderRequests, 150);

    [Fact]
    public Task Every_field_of_the_events_body() => RunAsync(nameof(Every_field_of_the_events_body), ClientRequests.EventsBodies, 300);

    [Fact]
    public Task Rerank_bodies() => RunAsync(nameof(Rerank_bodies), ClientRequests.RerankBodies, 150);

    private async Task RunAsync(string property, Gen<HttpCase> requests, int ciIterations)
    {
        var cases = FuzzBudget.Cases(requests, ciIterations, property);
        for (var i = 0; i < cases.Count; i++)
        {
            var request = cases[i];
            using var message = request.ToMessage();
            using var response = await silo.Client.SendAsync(message);
            var body = await response.Content.ReadAsStringAsync();
            var index = i;
            ClientAnswer.AssertWellFormed((int)response.StatusCode, body, response.Content.Headers.ContentType?.MediaType, () => $"{FuzzBudget.Describe(property, index)}: {request}\nserver log: {silo.LoggedErrors()}");
        }

        await silo.AssertReadyAsync("after " + property);
    }
}
