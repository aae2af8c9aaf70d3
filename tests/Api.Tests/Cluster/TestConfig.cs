using System.Text.Json.Nodes;

namespace Personalization.Api.Tests.Cluster;

/// <summary>
/// The configuration the cluster starts with unless a test writes its own. Namespace <c>fake</c> serves every
/// action from <see cref="FakeBackend"/> (personalize-campaign variations) over <see cref="TestCatalog"/>;
/// namespace <c>store</c> (when sample data is generated) serves the small sample store with the built-in recommender.
/// Caching: user 10 s (+20 s stale-while-revalidate, private), synthetic user 300 s (public), no user 1200 s (public).
/// </summary>
public static class TestConfig
{
    public const string Version = "v1";
    public const int CatalogSyncSeconds = 60;
    public const string Account = "123456789012";

    public static string Campaign(string name) => $"arn:aws:personalize:us-east-1:{Account}:campaign/{name}";

    public static JsonObject Create(string version = Version, bool withStore = true)
    {
        var root = JsonNode.Parse(FakeNamespace)!.AsObject();
        root["version"] = version;
        if (withStore)
        {
            root["namespaces"]!["store"] = JsonNode.Parse(StoreNamespace);
        }

        return root;
    }

    public static string Json(string version = Version, bool withStore = true) => Create(version, withStore).ToJsonString();

    // picks and similar turn the built-in trending last resort off: the error tests need backend failures to surface.
    private static readonly string FakeNamespace = $$"""
        {
          "version": "{{Version}}",
          "cacheControl": {
            "userSpecified": { "maxAge": 10, "directives": "private", "staleWhileRevalidate": 20 },
            "syntheticUserSpecified": { "maxAge": 300, "directives": "public" },
            "noUserSpecified": { "maxAge": 1200, "directives": "public" }
          },
          "namespaces": {
            "fake": {
              "name": "Fake store",
              "inferenceItemMetadata": { "type": "localdb", "path": "{{TestCatalog.FileName}}", "syncInterval": {{CatalogSyncSeconds}} },
              "recommenders": {
                "recommend-items": {
                  "picks": {
                    "fallbackToTrending": false,
                    "variations": {
                      "campaign": {
                        "type": "personalize-campaign",
                        "arn": "{{Campaign("picks")}}",
                        "filters": [ { "arn": "arn:aws:personalize:us-east-1:{{Account}}:filter/cheap" } ]
                      }
                    }
                  },
                  "ab-test": {
                    "variations": {
                      "control": { "type": "personalize-campaign", "arn": "{{Campaign("control")}}" },
                      "treatment": { "type": "personalize-campaign", "arn": "{{Campaign("treatment")}}" }
                    },
                    "experiments": {
                      "home-feed": { "method": "evidently", "project": "fake" }
                    }
                  },
                  "unsupported": {
                    "variations": {
                      "sagemaker": { "type": "sagemaker", "endpointName": "no-such-endpoint" }
                    }
                  }
                },
                "related-items": {
                  "similar": {
                    "fallbackToTrending": false,
                    "variations": { "sims": { "type": "personalize-campaign", "arn": "{{Campaign("sims")}}" } }
                  }
                },
                "rerank-items": {
                  "ranking": {
                    "variations": { "ranking": { "type": "personalize-campaign", "arn": "{{Campaign("ranking")}}" } }
                  }
                }
              }
            }
          }
        }
        """;

    private static readonly string StoreNamespace = $$"""
        {
          "name": "Sample store",
          "inferenceItemMetadata": { "type": "localdb", "path": "{{SampleData.Folder}}/{{SampleData.CatalogFile}}", "syncInterval": {{CatalogSyncSeconds}} },
          "builtinRecommender": {
            "interactions": "{{SampleData.Folder}}/{{SampleData.InteractionsFile}}",
            "eventWeights": { "view": 1, "click": 2, "purchase": 4 }
          },
          "recommenders": {
            "recommend-items": {
              "for-you": { "variations": { "personalized": { "type": "builtin", "algorithm": "personalized" } } },
              "trending": { "variations": { "trending": { "type": "builtin", "algorithm": "trending" } } }
            },
            "related-items": {
              "similar-items": { "variations": { "similar": { "type": "builtin", "algorithm": "similar-items" } } }
            },
            "rerank-items": {
              "personalized-ranking": { "variations": { "rerank": { "type": "builtin", "algorithm": "rerank" } } }
            }
          }
        }
        """;
}
