using Personalization.Grains.Configuration;
using Xunit;

namespace Personalization.Grains.Tests.Configuration;

public class ValidationTests
{
    private const string V = "namespaces.my-store.recommenders.recommend-items.top-picks.variations.v1";
    private const string Arn = Samples.CampaignArn;

    [Fact]
    public void Recommender_without_variations_names_the_path()
    {
        var errors = Samples.Errors("""{ "namespaces": { "my-store": { "recommenders": { "recommend-items": { "top-picks": { } } } } } }""");

        Assert.Equal(["namespaces.my-store.recommenders.recommend-items.top-picks.variations: at least one variation is required"], errors);
    }

    [Fact]
    public void Empty_variations_object_is_an_error()
    {
        Assert.Equal(
            ["namespaces.my-store.recommenders.recommend-items.top-picks.variations: at least one variation is required"],
            Samples.Errors(Samples.WithVariations("{}")));
    }

    [Theory]
    [InlineData("""{ }""", "namespaces: is required")]
    [InlineData("""[]""", "must be an object")]
    [InlineData("""{ "namespaces": [] }""", "namespaces: must be an object")]
    [InlineData("""{ "namespaces": { "my store": { "eventTargets": [] } } }""", "namespaces.my store: namespace key must match ^[a-zA-Z0-9_-]+$")]
    [InlineData("""{ "namespaces": { "my-store": { "name": "x" } } }""", "namespaces.my-store: a namespace needs recommenders or eventTargets")]
    [InlineData("""{ "namespaces": { "my-store": { "recommenders": { "recommend-stuff": { } } } } }""", "namespaces.my-store.recommenders.recommend-stuff: unknown action 'recommend-stuff' (expected recommend-items, related-items or rerank-items)")]
    [InlineData("""{ "version": true, "namespaces": { "a": { "eventTargets": [] } } }""", "version: must be a string")]
    public void Document_and_namespace_errors(string json, string expected) => Assert.Contains(expected, Samples.Errors(json));

    [Theory]
    [InlineData("""{ "type": "personalize-model", "arn": "x" }""", V + ".type: unknown variation type 'personalize-model' (expected personalize-campaign, personalize-recommender, lambda, sagemaker, http or builtin)")]
    [InlineData("""{ "arn": "x" }""", V + ".type: is required")]
    [InlineData("""{ "type": "personalize-campaign" }""", V + ".arn: is required")]
    [InlineData("""{ "type": "personalize-campaign", "arn": "arn:aws:personalize:us-east-1:12345:campaign/x" }""", V + ".arn: 'arn:aws:personalize:us-east-1:12345:campaign/x' is not a Personalize campaign or recommender ARN")]
    [InlineData("""{ "type": "personalize-recommender", "arn": "arn:aws:lambda:us-east-1:123456789012:function:x" }""", V + ".arn: 'arn:aws:lambda:us-east-1:123456789012:function:x' is not a Personalize campaign or recommender ARN")]
    [InlineData("""{ "type": "lambda", "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/x" }""", V + ".arn: 'arn:aws:personalize:us-east-1:123456789012:campaign/x' is not a Lambda function ARN or name")]
    [InlineData("""{ "type": "sagemaker" }""", V + ".endpointName: is required")]
    [InlineData("""{ "type": "http", "url": "/relative/{userId}" }""", V + ".url: '/relative/{userId}' is not an absolute http or https URL")]
    [InlineData("""{ "type": "http", "url": "ftp://example.com/recs" }""", V + ".url: 'ftp://example.com/recs' is not an absolute http or https URL")]
    [InlineData("""{ "type": "builtin", "algorithm": "magic" }""", V + ".algorithm: unknown algorithm 'magic' (expected personalized, similar-items, trending or rerank)")]
    [InlineData("""{ "type": "builtin", "excludeInteracted": "yes" }""", V + ".excludeInteracted: must be true or false")]
    public void Variation_errors(string variation, string expected) => Assert.Equal([expected], Samples.Errors(Samples.WithVariation(variation)));

    [Theory]
    [InlineData("""[{ "condition": "user-required" }]""", V + ".filters[0]: a filter needs an arn, or a name and an expression")]
    [InlineData("""[{ "arn": "arn:aws:personalize:us-east-1:123456789012:campaign/x" }]""", V + ".filters[0].arn: 'arn:aws:personalize:us-east-1:123456789012:campaign/x' is not a Personalize filter ARN")]
    [InlineData("""[{ "name": "f", "expression": "  " }]""", V + ".filters[0].expression: must not be empty")]
    [InlineData("""[{ "expression": "EXCLUDE ItemID WHERE Items.genre IN (\"x\")" }]""", V + ".filters[0].name: is required for a filter without an arn")]
    [InlineData("""[{ "arn": "arn:aws:personalize:us-east-1:123456789012:filter/f", "condition": "user-optional" }]""", V + ".filters[0].condition: unknown condition 'user-optional' (expected user-required)")]
    [InlineData("""{ "arn": "arn:aws:personalize:us-east-1:123456789012:filter/f" }""", V + ".filters: must be an array")]
    public void Filter_errors(string filters, string expected) =>
        Assert.Equal([expected], Samples.Errors(Samples.WithVariation($$"""{ "type": "personalize-campaign", "arn": "{{Arn}}", "filters": {{filters}} }""")));

    [Theory]
    [InlineData("""{ "userSpecified": { "maxAge": -1 }, "syntheticUserSpecified": { "maxAge": 1 }, "noUserSpecified": { "maxAge": 1 } }""", "cacheControl.userSpecified.maxAge: must be at least 0")]
    [InlineData("""{ "userSpecified": { "maxAge": 1.5 }, "syntheticUserSpecified": { "maxAge": 1 }, "noUserSpecified": { "maxAge": 1 } }""", "cacheControl.userSpecified.maxAge: must be an integer")]
    [InlineData("""{ "userSpecified": { "maxAge": "10" }, "syntheticUserSpecified": { "maxAge": 1 }, "noUserSpecified": { "maxAge": 1 } }""", "cacheControl.userSpecified.maxAge: must be an integer")]
    [InlineData("""{ "userSpecified": { "maxAge": 10, "directives": "private, max-age=5" }, "syntheticUserSpecified": { "maxAge": 1 }, "noUserSpecified": { "maxAge": 1 } }""", "cacheControl.userSpecified.directives: must not contain max-age (set maxAge instead)")]
    [InlineData("""{ "userSpecified": { }, "syntheticUserSpecified": { "maxAge": 1 }, "noUserSpecified": { "maxAge": 1 } }""", "cacheControl.userSpecified: needs maxAge or directives")]
    [InlineData("""{ "staleWhileRevalidate": -5, "userSpecified": { "maxAge": 1 }, "syntheticUserSpecified": { "maxAge": 1 }, "noUserSpecified": { "maxAge": 1 } }""", "cacheControl.staleWhileRevalidate: must be at least 0")]
    [InlineData("""{ "autoProvision": "yes", "userSpecified": { "maxAge": 1 }, "syntheticUserSpecified": { "maxAge": 1 }, "noUserSpecified": { "maxAge": 1 } }""", "cacheControl.autoProvision: must be true or false")]
    [InlineData("""5""", "cacheControl: must be an object")]
    public void Cache_control_errors(string cacheControl, string expected) =>
        Assert.Equal([expected], Samples.Errors($$"""{ "cacheControl": {{cacheControl}}, "namespaces": { "a": { "eventTargets": [] } } }"""));

    [Fact]
    public void Missing_cache_user_class_is_a_warning_and_not_cached()
    {
        var result = Samples.Parse("""{ "cacheControl": { "userSpecified": { "maxAge": 10 } }, "namespaces": { "a": { "eventTargets": [] } } }""");

        Assert.True(result.IsValid);
        Assert.Contains("cacheControl.noUserSpecified: missing; responses for this user class are not cached", result.Warnings.Select(w => w.ToString()));
        Assert.True(result.Snapshot!.TryGetNamespace("a", out var ns));
        Assert.Same(CachePolicy.NoCaching, ns.CacheControl.NoUserSpecified);
    }

    [Theory]
    [InlineData("""{ "f": { "type": "text", "rules": [] } }""", "autoContext.f.type: unknown field type 'text' (expected string, integer, long or float)")]
    [InlineData("""{ "f": { "type": "string" } }""", "autoContext.f.rules: is required")]
    [InlineData("""{ "f": { "type": "string", "rules": [{ "type": "minute-of-hour" }] } }""", "autoContext.f.rules[0].type: unknown rule type 'minute-of-hour' (expected header-value, hour-of-day, day-of-week or season-of-year)")]
    [InlineData("""{ "f": { "type": "string", "rules": [{ "type": "header-value" }] } }""", "autoContext.f.rules[0].header: is required")]
    [InlineData("""{ "f": { "type": "string", "rules": [{ "type": "hour-of-day", "valueMappings": [{ "operator": "between", "value": 1, "mapTo": "x" }] }] } }""", "autoContext.f.rules[0].valueMappings[0].operator: unknown operator 'between' (expected equals, less-than, greater-than, contains, starts-with or ends-with)")]
    [InlineData("""{ "f": { "type": "string", "rules": [{ "type": "hour-of-day", "valueMappings": [{ "operator": "equals", "mapTo": "x" }] }] } }""", "autoContext.f.rules[0].valueMappings[0].value: is required")]
    [InlineData("""{ "f": { "type": "string", "rules": [{ "type": "hour-of-day", "valueMappings": [{ "operator": "equals", "value": 1, "mapTo": true }] }] } }""", "autoContext.f.rules[0].valueMappings[0].mapTo: must be a string or a number")]
    [InlineData("""{ "f": { "type": "string", "rules": [{ "type": "hour-of-day", "valueMappings": [{ "operator": "less-than", "value": "noon", "mapTo": "x" }] }] } }""", "autoContext.f.rules[0].valueMappings[0].value: must be a number for hour-of-day rules")]
    [InlineData("""{ "f f": { "type": "string", "rules": [] } }""", "autoContext.f f: field name must match ^[a-zA-Z0-9_-]+$")]
    [InlineData("""{ "f": { "type": "string", "evaluateAll": 1, "rules": [] } }""", "autoContext.f.evaluateAll: must be true or false")]
    public void Auto_context_errors(string autoContext, string expected) =>
        Assert.Equal([expected], Samples.Errors($$"""{ "autoContext": {{autoContext}}, "namespaces": { "a": { "eventTargets": [] } } }"""));

    [Theory]
    [InlineData("start-with")]
    [InlineData("starts-with")]
    public void Both_spellings_of_starts_with_are_accepted(string op) =>
        Samples.Valid($$"""{ "autoContext": { "f": { "type": "string", "rules": [{ "type": "header-value", "header": "h", "valueMappings": [{ "operator": "{{op}}", "value": "a", "mapTo": "b" }] }] } }, "namespaces": { "a": { "eventTargets": [] } } }""");

    [Fact]
    public void Season_is_accepted_as_alias_of_season_of_year()
    {
        var snapshot = Samples.Valid("""{ "autoContext": { "s": { "type": "integer", "rules": [{ "type": "season" }] } }, "namespaces": { "a": { "eventTargets": [] } } }""");

        Assert.True(snapshot.TryGetNamespace("a", out var ns));
        Assert.Equal(Personalization.Grains.Context.AutoContextRuleType.SeasonOfYear, ns.AutoContext.Fields[0].Rules[0].Type);
    }

    private const string E = "namespaces.my-store.recommenders.recommend-items.top-picks.experiments.f";

    [Theory]
    [InlineData("""{ "method": "evidently2" }""", E + ".method: must be \"evidently\" or \"builtin\", got \"evidently2\"")]
    [InlineData("""{ }""", E + ".method: required; \"evidently\" or \"builtin\"")]
    [InlineData("""{ "method": "builtin", "arms": { "v3": { "weight": 1 } , "v1": { "weight": 1 } } }""", E + ".arms.v3: not a variation of this recommender; variations are v1, v2")]
    [InlineData("""{ "method": "builtin", "arms": { "v1": { "weight": -1 } } }""", E + ".arms.v1.weight: must be a finite number ≥ 0, got -1")]
    [InlineData("""{ "method": "builtin", "arms": { "v1": { "weight": 0 }, "v2": { "weight": 0 } } }""", E + ".arms: at least one arm needs a weight > 0")]
    [InlineData("""{ "method": "builtin", "arms": { } }""", E + ".arms: at least one arm needs a weight > 0")]
    [InlineData("""{ "method": "builtin", "holdout": 1.5 }""", E + ".holdout: must be a number from 0 to 1 (a fraction of users), got 1.5")]
    [InlineData("""{ "method": "builtin", "control": "v9" }""", E + ".control: 'v9' is not a variation of this recommender; variations are v1, v2")]
    [InlineData("""{ "method": "builtin", "overrides": { "u1": "v9" } }""", E + ".overrides.u1: must name a variation (v1, v2), got \"v9\"")]
    [InlineData("""{ "method": "builtin", "start": "next tuesday" }""", E + ".start: must be an ISO-8601 instant with a zone, e.g. \"2026-01-31T00:00:00Z\", got \"next tuesday\"")]
    [InlineData("""{ "method": "builtin", "start": "2026-02-01T00:00:00Z", "end": "2026-01-01T00:00:00Z" }""", E + ".end: must be after start (2026-02-01T00:00:00.0000000+00:00), got 2026-01-01T00:00:00.0000000+00:00")]
    [InlineData("""{ "method": "builtin", "layer": "l", "layerWeight": 0 }""", E + ".layerWeight: must be a finite number > 0, got 0")]
    public void Experiment_errors(string experiment, string expected)
    {
        var json = $$"""
            { "namespaces": { "my-store": { "recommenders": { "recommend-items": { "top-picks": {
                "experiments": { "f": {{experiment}} },
                "variations": { "v1": { "type": "builtin" }, "v2": { "type": "builtin" } } } } } } } }
            """;

        Assert.Equal([expected], Samples.Errors(json));
    }

    private const string T = "namespaces.a.eventTargets[0]";

    [Theory]
    [InlineData("""{ "type": "personalize-event-tracker" }""", T + ".trackingId: is required")]
    [InlineData("""{ "type": "kinesis-stream" }""", T + ".streamName: is required (or streamArn)")]
    [InlineData("""{ "type": "kinesis-stream", "streamArn": "arn:aws:kinesis:us-east-1:123:stream/x" }""", T + ".streamArn: 'arn:aws:kinesis:us-east-1:123:stream/x' is not a Kinesis stream ARN")]
    [InlineData("""{ "type": "kinesis-stream", "streamName": "s", "partitionKey": "itemId" }""", T + ".partitionKey: unknown partition key 'itemId' (expected userId or sessionId)")]
    [InlineData("""{ "type": "kinesis-firehose" }""", T + ".streamName: is required (or deliveryStreamName)")]
    [InlineData("""{ "type": "file" }""", T + ".path: is required")]
    [InlineData("""{ "type": "file", "path": "e.jsonl", "maxBytes": 0 }""", T + ".maxBytes: must be at least 1")]
    [InlineData("""{ "type": "sqs" }""", T + ".type: unknown event target type 'sqs' (expected personalize-event-tracker, kinesis-stream, kinesis-firehose or file)")]
    [InlineData("""{ "type": "file", "path": "e", "mode": "later" }""", T + ".mode: unknown mode 'later' (expected sync or async)")]
    public void Event_target_errors(string target, string expected) =>
        Assert.Equal([expected], Samples.Errors($$"""{ "namespaces": { "a": { "eventTargets": [ {{target}} ] } } }"""));

    [Theory]
    [InlineData("""{ "type": "s3" }""", "namespaces.a.inferenceItemMetadata.type: unknown item metadata type 's3' (expected localdb, dynamodb or personalize)")]
    [InlineData("""{ "type": "localdb", "syncInterval": 1 }""", "namespaces.a.inferenceItemMetadata.syncInterval: must be between 5 and 3600")]
    [InlineData("""{ "type": "personalize", "itemColumns": ["a", 1] }""", "namespaces.a.inferenceItemMetadata.itemColumns: must be an array of strings")]
    public void Item_metadata_errors(string metadata, string expected) =>
        Assert.Equal([expected], Samples.Errors($$"""{ "namespaces": { "a": { "inferenceItemMetadata": {{metadata}}, "eventTargets": [] } } }"""));

    [Fact]
    public void Post_processor_errors_name_their_path()
    {
        var json = """
            { "namespaces": { "a": { "recommenders": { "related-items": { "r": {
                "responsePostProcessor": { "type": "webhook", "arn": "arn:aws:lambda:us-east-1:123456789012:function:pp", "lookAheadMultiplier": 0.5 },
                "variations": { "v": { "type": "builtin" } } } } } } } }
            """;

        Assert.Equal(
            [
                "namespaces.a.recommenders.related-items.r.responsePostProcessor.type: unknown post-processor type 'webhook' (expected lambda)",
                "namespaces.a.recommenders.related-items.r.responsePostProcessor.lookAheadMultiplier: must be at least 1",
            ],
            Samples.Errors(json));
    }

    [Fact]
    public void All_errors_of_a_document_are_collected_at_once()
    {
        var json = """
            { "namespaces": {
                "bad key!": { "eventTargets": [ { "type": "file" } ] },
                "b": { "recommenders": { "recommend-items": { "r": { "variations": { "v": { "type": "nope" } } } }, "other": {} } } } }
            """;

        Assert.Equal(
            [
                "namespaces.bad key!: namespace key must match ^[a-zA-Z0-9_-]+$",
                "namespaces.bad key!.eventTargets[0].path: is required",
                "namespaces.b.recommenders.recommend-items.r.variations.v.type: unknown variation type 'nope' (expected personalize-campaign, personalize-recommender, lambda, sagemaker, http or builtin)",
                "namespaces.b.recommenders.other: unknown action 'other' (expected recommend-items, related-items or rerank-items)",
            ],
            Samples.Errors(json));
    }

    [Fact]
    public void Unknown_properties_are_ignored_for_forward_compatibility()
    {
        Samples.Valid($$"""
            { "futureRootSetting": { "x": 1 },
              "namespaces": { "my-store": { "futureNamespaceSetting": 1, "recommenders": { "recommend-items": { "top-picks": {
                  "futureRecommenderSetting": [1],
                  "variations": { "v1": { "type": "personalize-campaign", "arn": "{{Arn}}", "futureVariationSetting": true } } } } } } } }
            """);
    }

    [Fact]
    public void Invalid_json_is_one_error()
    {
        var errors = Samples.Errors("{ \"namespaces\": ");

        Assert.StartsWith("not valid JSON:", Assert.Single(errors));
    }
}
