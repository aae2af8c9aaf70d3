using System.Text;
using System.Text.Json;
using Personalization.Aws.Personalize.Runtime;
using Personalization.Grains.Configuration;
using Personalization.Grains.Recommenders;
using Personalization.Grains.Recommenders.Personalize;
using Personalization.LocalAws.Faults;
using Xunit;
using static Personalization.Grains.Tests.Recommenders.Personalize.BackendRequests;

namespace Personalization.Grains.Tests.Recommenders.Personalize;

public sealed class PersonalizeRecommenderBackendTests : LocalAwsTest
{
    private PersonalizeRecommenderBackend Backend(Action<Personalization.Aws.Configuration.AwsClientOptions>? configure = null) =>
        new(Clients(configure).CreatePersonalizeRuntimeClient());

    private JsonElement LastBody(string operation) => JsonDocument.Parse(State.Recorded.For(operation)[^1].Body).RootElement;

    [Fact]
    public void Supports_only_the_personalize_variation_types()
    {
        var backend = Backend();
        Assert.True(backend.Supports(VariationType.PersonalizeCampaign));
        Assert.True(backend.Supports(VariationType.PersonalizeRecommender));
        Assert.False(backend.Supports(VariationType.Http));
        Assert.False(backend.Supports(VariationType.Builtin));
    }

    [Fact]
    public async Task Recommend_items_on_a_campaign_sends_campaignArn_userId_numResults_filter_and_context()
    {
        var result = await Backend().InvokeAsync(
            For(RecommenderAction.RecommendItems, "for-you", numResults: 7, filterArn: FilterArn,
                filterValues: new Dictionary<string, string> { ["GENRE"] = "\"drama\"" },
                context: new Dictionary<string, string> { ["DEVICE"] = "mobile" }),
            CancellationToken.None);

        var body = LastBody("GetRecommendations");
        Assert.Equal(CampaignArn, body.GetProperty("campaignArn").GetString());
        Assert.False(body.TryGetProperty("recommenderArn", out _));
        Assert.Equal("u1", body.GetProperty("userId").GetString());
        Assert.False(body.TryGetProperty("itemId", out _));
        Assert.Equal(7, body.GetProperty("numResults").GetInt32());
        Assert.Equal(FilterArn, body.GetProperty("filterArn").GetString());
        Assert.Equal("\"drama\"", body.GetProperty("filterValues").GetProperty("GENRE").GetString());
        Assert.Equal("mobile", body.GetProperty("context").GetProperty("DEVICE").GetString());
        Assert.False(body.TryGetProperty("metadataColumns", out _));
        Assert.Equal(7, result.Items.Count);
        Assert.False(string.IsNullOrEmpty(result.RecommendationId));
    }

    [Fact]
    public async Task Recommender_arns_go_in_recommenderArn_even_when_the_variation_type_says_campaign()
    {
        var backend = Backend();
        await backend.InvokeAsync(For(RecommenderAction.RecommendItems, "picks"), CancellationToken.None);
        Assert.Equal(RecommenderArn, LastBody("GetRecommendations").GetProperty("recommenderArn").GetString());

        await backend.InvokeAsync(For(RecommenderAction.RecommendItems, "mislabelled"), CancellationToken.None);
        var body = LastBody("GetRecommendations");
        Assert.Equal(RecommenderArn, body.GetProperty("recommenderArn").GetString());
        Assert.False(body.TryGetProperty("campaignArn", out _));
    }

    [Fact]
    public async Task Related_items_sends_itemId_and_the_optional_userId_without_filter_values_when_no_filter()
    {
        await Backend().InvokeAsync(
            For(RecommenderAction.RelatedItems, "similar", userId: null, itemId: "i42", filterValues: new Dictionary<string, string> { ["X"] = "\"y\"" }),
            CancellationToken.None);

        var body = LastBody("GetRecommendations");
        Assert.Equal("i42", body.GetProperty("itemId").GetString());
        Assert.False(body.TryGetProperty("userId", out _));
        Assert.False(body.TryGetProperty("filterArn", out _));
        Assert.False(body.TryGetProperty("filterValues", out _));
    }

    [Fact]
    public async Task A_response_post_processor_makes_the_call_look_ahead()
    {
        await Backend().InvokeAsync(For(RecommenderAction.RecommendItems, "post-processed", numResults: 10), CancellationToken.None);
        Assert.Equal(30, LastBody("GetRecommendations").GetProperty("numResults").GetInt32());

        await Backend().InvokeAsync(For(RecommenderAction.RecommendItems, "post-processed", numResults: 25), CancellationToken.None);
        Assert.Equal(40, LastBody("GetRecommendations").GetProperty("numResults").GetInt32());
    }

    [Fact]
    public async Task Promotions_are_sent_with_GetRecommendations_and_promoted_items_keep_their_promotionName()
    {
        var result = await Backend().InvokeAsync(For(RecommenderAction.RecommendItems, "promoted", numResults: 10), CancellationToken.None);

        var promotion = Assert.Single(LastBody("GetRecommendations").GetProperty("promotions").EnumerateArray());
        Assert.Equal("house-brand", promotion.GetProperty("name").GetString());
        Assert.Equal(30, promotion.GetProperty("percentPromotedItems").GetInt32());
        Assert.Equal(FilterArn, promotion.GetProperty("filterArn").GetString());
        Assert.Equal("\"acme\"", promotion.GetProperty("filterValues").GetProperty("BRAND").GetString());
        Assert.Equal(3, result.Items.Count(i => i.PromotionName == "house-brand"));

        await Backend().InvokeAsync(For(RecommenderAction.RecommendItems, "for-you"), CancellationToken.None);
        Assert.False(LastBody("GetRecommendations").TryGetProperty("promotions", out _));
    }

    [Fact]
    public async Task Rerank_items_sends_the_input_list_to_GetPersonalizedRanking()
    {
        var result = await Backend().InvokeAsync(
            For(RecommenderAction.RerankItems, "rank", inputList: ["a", "b", "c"], context: new Dictionary<string, string> { ["DEVICE"] = "tv" }),
            CancellationToken.None);

        var body = LastBody("GetPersonalizedRanking");
        Assert.Equal(RankingArn, body.GetProperty("campaignArn").GetString());
        Assert.Equal(["a", "b", "c"], body.GetProperty("inputList").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal("tv", body.GetProperty("context").GetProperty("DEVICE").GetString());
        Assert.Equal(["a", "b", "c"], result.Items.Select(i => i.ItemId).Order().ToArray());
    }

    [Fact]
    public async Task Rerank_on_a_recommender_is_an_invalid_request_without_calling_AWS()
    {
        var error = await Assert.ThrowsAsync<RecommenderBackendException>(() =>
            Backend().InvokeAsync(For(RecommenderAction.RerankItems, "rank-recommender", inputList: ["a"]), CancellationToken.None));
        Assert.Equal(BackendFailure.InvalidRequest, error.Failure);
        Assert.Empty(State.Recorded.All);
    }

    [Fact]
    public async Task Metadata_columns_are_requested_and_returned_metadata_becomes_json()
    {
        State.Runtime.Recommendations = request => new GetRecommendationsResponse
        {
            ItemList = [new PredictedItem { ItemId = "i1", Score = 0.5, Metadata = new() { ["TITLE"] = "Dune \"2\"", ["PRICE"] = "9.5" } }, new PredictedItem { ItemId = "i2" }],
            RecommendationId = "rid-1",
        };

        var result = await Backend().InvokeAsync(For(RecommenderAction.RecommendItems, "for-you", metadataColumns: ["TITLE", "PRICE"]), CancellationToken.None);

        var columns = LastBody("GetRecommendations").GetProperty("metadataColumns").GetProperty("ITEMS");
        Assert.Equal(["TITLE", "PRICE"], columns.EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal("rid-1", result.RecommendationId);
        var metadata = JsonDocument.Parse(result.Items[0].Metadata).RootElement;
        Assert.Equal("Dune \"2\"", metadata.GetProperty("TITLE").GetString());
        Assert.Equal("9.5", metadata.GetProperty("PRICE").GetString());
        Assert.True(result.Items[1].Metadata.IsEmpty);
        Assert.Equal(0.5, result.Items[0].Score);
    }

    [Fact]
    public async Task Throttling_after_the_client_retries_is_Throttled_with_retry_after()
    {
        State.Faults.FailNext("GetRecommendations", 3, InjectedFault.Throttling);

        var error = await Assert.ThrowsAsync<RecommenderBackendException>(() =>
            Backend(o => o.MaxRetries = 2).InvokeAsync(For(RecommenderAction.RecommendItems, "for-you"), CancellationToken.None));

        Assert.Equal(BackendFailure.Throttled, error.Failure);
        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
        Assert.Equal(3, State.Recorded.For("GetRecommendations").Count);
    }

    [Fact]
    public async Task Throttling_that_clears_within_the_retries_succeeds()
    {
        State.Faults.FailNext("GetRecommendations", 2, InjectedFault.Throttling);
        var result = await Backend(o => o.MaxRetries = 2).InvokeAsync(For(RecommenderAction.RecommendItems, "for-you"), CancellationToken.None);
        Assert.Equal(10, result.Items.Count);
    }

    [Theory]
    [InlineData("ServiceUnavailableException", 503, BackendFailure.Unavailable, "ServiceUnavailableException")]
    [InlineData("InternalFailure", 500, BackendFailure.Unavailable, "InternalFailure")]
    [InlineData("ResourceNotFoundException", 404, BackendFailure.ResourceNotFound, "ResourceNotFoundException")]
    [InlineData("AccessDeniedException", 403, BackendFailure.Unavailable, "AccessDenied")]
    public async Task Service_errors_map_to_backend_failures(string errorCode, int status, BackendFailure failure, string code)
    {
        State.Faults.FailNext("GetRecommendations", 1, new InjectedFault(errorCode, status, "secret internal detail"));

        var error = await Assert.ThrowsAsync<RecommenderBackendException>(() =>
            Backend(o => o.MaxRetries = 0).InvokeAsync(For(RecommenderAction.RecommendItems, "for-you"), CancellationToken.None));

        Assert.Equal(failure, error.Failure);
        Assert.Equal(code, error.Code);
        Assert.DoesNotContain("secret internal detail", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validation_errors_are_invalid_requests_carrying_the_AWS_message()
    {
        State.Faults.FailNext("GetRecommendations", 1, new InjectedFault("InvalidInputException", 400, "Filter values are not valid for filter genre."));

        var error = await Assert.ThrowsAsync<RecommenderBackendException>(() =>
            Backend().InvokeAsync(For(RecommenderAction.RecommendItems, "for-you"), CancellationToken.None));

        Assert.Equal(BackendFailure.InvalidRequest, error.Failure);
        Assert.Equal("InvalidInputException", error.Code);
        Assert.Equal("Filter values are not valid for filter genre.", error.Message);
        Assert.Single(State.Recorded.For("GetRecommendations"));
    }

    [Fact]
    public async Task A_call_that_outlives_the_client_timeout_is_a_Timeout()
    {
        State.Faults.SetLatency("GetRecommendations", TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<RecommenderBackendException>(() =>
            Backend(o => { o.Timeout = TimeSpan.FromMilliseconds(100); o.MaxRetries = 0; }).InvokeAsync(For(RecommenderAction.RecommendItems, "for-you"), CancellationToken.None));

        Assert.Equal(BackendFailure.Timeout, error.Failure);
    }

    [Fact]
    public async Task Oversized_requests_are_capped_at_the_Personalize_maximum()
    {
        await Backend().InvokeAsync(For(RecommenderAction.RecommendItems, "for-you", numResults: 900), CancellationToken.None);
        Assert.Equal(500, LastBody("GetRecommendations").GetProperty("numResults").GetInt32());
    }

    [Fact]
    public async Task Missing_user_or_item_is_rejected_before_calling_AWS()
    {
        var backend = Backend();
        var noUser = await Assert.ThrowsAsync<RecommenderBackendException>(() => backend.InvokeAsync(For(RecommenderAction.RecommendItems, "for-you", userId: null), CancellationToken.None));
        var noItem = await Assert.ThrowsAsync<RecommenderBackendException>(() => backend.InvokeAsync(For(RecommenderAction.RelatedItems, "similar"), CancellationToken.None));
        Assert.Equal(BackendFailure.InvalidRequest, noUser.Failure);
        Assert.Equal(BackendFailure.InvalidRequest, noItem.Failure);
        Assert.Empty(State.Recorded.All);
    }
}
