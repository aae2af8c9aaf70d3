using System.Text;
using Personalization.Grains.Configuration;
using Personalization.Grains.Context;
using Personalization.Grains.Recommenders;

namespace Personalization.Grains.Tests.Recommenders.Personalize;

/// <summary>Recommenders resolved from a real configuration document, and requests against them.</summary>
internal static class BackendRequests
{
    public const string Account = "arn:aws:personalize:us-east-1:123456789012";
    public const string CampaignArn = Account + ":campaign/for-you";
    public const string RecommenderArn = Account + ":recommender/picks";
    public const string RankingArn = Account + ":campaign/ranking";
    public const string FilterArn = Account + ":filter/genre";
    public const string FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:custom-recs";
    public const string PostProcessorArn = "arn:aws:lambda:us-east-1:123456789012:function:post-process";

    private static readonly ConfigurationSnapshot Snapshot = Parse($$"""
        {
          "namespaces": {
            "shop": {
              "recommenders": {
                "recommend-items": {
                  "for-you": { "variations": { "campaign": { "type": "personalize-campaign", "arn": "{{CampaignArn}}" } } },
                  "picks": { "variations": { "recommender": { "type": "personalize-recommender", "arn": "{{RecommenderArn}}" } } },
                  "mislabelled": { "variations": { "v": { "type": "personalize-campaign", "arn": "{{RecommenderArn}}" } } },
                  "post-processed": {
                    "responsePostProcessor": { "type": "lambda", "arn": "arn:aws:lambda:us-east-1:123456789012:function:pp", "lookAheadMultiplier": 3, "lookAheadMaximumValue": 40 },
                    "variations": { "campaign": { "type": "personalize-campaign", "arn": "{{CampaignArn}}" } }
                  },
                  "remote": { "variations": { "http": { "type": "http", "url": "https://recs.example.com/users/{userId}/items?n={numResults}&seed={itemId}" } } },
                  "custom": {
                    "description": "a custom model",
                    "responsePostProcessor": { "type": "lambda", "arn": "{{PostProcessorArn}}", "lookAheadMultiplier": 2 },
                    "variations": { "fn": { "type": "lambda", "arn": "{{FunctionArn}}", "qualifier": "live", "model": "v2" } }
                  },
                  "endpoint": { "variations": { "sm": { "type": "sagemaker", "endpointName": "recs-endpoint" } } },
                  "promoted": { "variations": { "campaign": { "type": "personalize-campaign", "arn": "{{CampaignArn}}",
                    "promotions": [{ "name": "house-brand", "percentPromotedItems": 30, "filterArn": "{{FilterArn}}", "filterValues": { "BRAND": "\"acme\"" } }] } } }
                },
                "related-items": {
                  "similar": { "variations": { "sims": { "type": "personalize-campaign", "arn": "{{CampaignArn}}" } } },
                  "custom-related": { "variations": { "fn": { "type": "function", "arn": "custom-recs" } } }
                },
                "rerank-items": {
                  "custom-rank": { "variations": { "fn": { "type": "lambda", "arn": "custom-recs" } } },
                  "endpoint-rank": { "variations": { "sm": { "type": "sagemaker", "endpointName": "recs-endpoint" } } },
                  "rank": { "variations": { "ranking": { "type": "personalize-campaign", "arn": "{{RankingArn}}" } } },
                  "rank-recommender": { "variations": { "r": { "type": "personalize-recommender", "arn": "{{RecommenderArn}}" } } }
                }
              }
            }
          }
        }
        """);

    public static ResolvedRecommender Recommender(RecommenderAction action, string name) =>
        Snapshot.TryGetRecommender("shop", action, name, out var recommender) ? recommender : throw new ArgumentException(name);

    public static BackendRequest For(
        RecommenderAction action,
        string name,
        string? userId = "u1",
        string? itemId = null,
        int numResults = 10,
        IReadOnlyList<string>? inputList = null,
        string? filterArn = null,
        IReadOnlyDictionary<string, string>? filterValues = null,
        IReadOnlyDictionary<string, string>? context = null,
        IReadOnlyList<string>? metadataColumns = null)
    {
        var recommender = Recommender(action, name);
        var filter = filterArn is null ? null : new SelectedFilter("genre", filterArn, null, FromQuery: true);
        return new BackendRequest(
            recommender,
            recommender.DefaultVariation,
            userId,
            itemId,
            inputList,
            numResults,
            filter,
            filterValues ?? new Dictionary<string, string>(),
            context ?? new Dictionary<string, string>(),
            metadataColumns);
    }

    private static ConfigurationSnapshot Parse(string json)
    {
        var result = ConfigurationParser.Parse(Encoding.UTF8.GetBytes(json));
        return result.Snapshot ?? throw new InvalidOperationException(string.Join("; ", result.Errors));
    }
}
