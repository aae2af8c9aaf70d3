using System.Text.Json.Nodes;
using Personalization.Grains.Configuration;

namespace Personalization.Api.OpenApi;

/// <summary>
/// OpenAPI 3.0.3 for the live configuration: one path per namespace and recommender with its parameters and
/// response schemas, plus events, experiments and operations. Built once per snapshot.
/// </summary>
public static class OpenApiDocumentBuilder
{
    public static JsonObject Build(ConfigurationSnapshot snapshot)
    {
        var paths = new JsonObject();
        foreach (var ns in snapshot.Namespaces)
        {
            foreach (var recommender in ns.Recommenders)
            {
                AddRecommender(paths, ns, recommender);
            }

            if (ns.EventTargets.Count > 0)
            {
                paths[$"/events/{ns.Key}"] = new JsonObject
                {
                    ["post"] = Operation(
                        ns.Key,
                        $"Send user events to {ns.Key}'s {ns.EventTargets.Count} event target(s)",
                        [],
                        Responses(("200", "Accepted by every target, with per-target results", Ref("EventsResult")), ("202", "Accepted for asynchronous delivery", Ref("EventsResult"))),
                        body: Ref("EventsRequest")),
                };
            }
        }

        paths["/experiments/{namespace}/{feature}"] = new JsonObject
        {
            ["get"] = Operation("Experiments", "Results per arm: exposures, conversions, rate with 95% interval, lift and p-value against control, verdict",
                [PathParameter("namespace"), PathParameter("feature"), QueryParameter("metric", "Metric name (default: the experiment's first)", String())],
                Responses(("200", "Experiment report", new JsonObject { ["type"] = "object" }))),
        };
        paths["/experiments/{namespace}"] = new JsonObject
        {
            ["get"] = Operation("Experiments", "HTML page of every experiment of the namespace: the same reports, intervals drawn, a verdict per metric",
                [PathParameter("namespace")],
                new JsonObject
                {
                    ["200"] = new JsonObject { ["description"] = "The page", ["content"] = new JsonObject { ["text/html"] = new JsonObject { ["schema"] = String() } } },
                    ["404"] = new JsonObject { ["description"] = "Unknown namespace (an HTML page naming it)", ["content"] = new JsonObject { ["text/html"] = new JsonObject { ["schema"] = String() } } },
                }),
        };
        paths["/health"] = new JsonObject { ["get"] = Operation("Operations", "Liveness", [], Responses(("200", "Alive", new JsonObject { ["type"] = "object" }))) };
        paths["/ready"] = new JsonObject { ["get"] = Operation("Operations", "Readiness: configuration and data loaded", [], Responses(("200", "Ready", new JsonObject { ["type"] = "object" }))) };

        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject
            {
                ["title"] = "Personalization API",
                ["version"] = snapshot.Version ?? "unversioned",
                ["description"] = snapshot.Description ?? "Recommendations, related items, reranking and events, as configured.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/" }),
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = Schemas() },
        };
    }

    private static void AddRecommender(JsonObject paths, ResolvedNamespace ns, ResolvedRecommender recommender)
    {
        var summary = recommender.DisplayName ?? recommender.Description ?? recommender.Name;
        var common = new List<JsonNode>
        {
            QueryParameter("filter", "Filter name or full filter ARN", String()),
            QueryParameter("filterValues", "JSON object of filter parameter values", String()),
            QueryParameter("context", "JSON object of context values", String()),
            QueryParameter("decorateItems", "Add item metadata (default true)", new JsonObject { ["type"] = "boolean" }),
            QueryParameter("decorateFields", "Comma-separated metadata fields to keep", String()),
            QueryParameter("syntheticUser", "The user is synthetic (caching class)", new JsonObject { ["type"] = "boolean" }),
        };
        if (recommender.Experiments.Count > 0)
        {
            common.Add(QueryParameter("feature", "Experiment feature", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(recommender.Experiments.Keys.Select(k => (JsonNode)k!).ToArray()) }));
        }

        var numResults = QueryParameter("numResults", "Number of items (1–500, default 25)", new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 500, ["default"] = 25 });
        var tag = $"{ns.Key}: {recommender.Action.ToWireName()}";
        switch (recommender.Action)
        {
            case RecommenderAction.RecommendItems:
                paths[$"/recommend-items/{ns.Key}/{recommender.Name}/{{userId}}"] = new JsonObject
                {
                    ["get"] = Operation(tag, summary, [PathParameter("userId"), numResults, .. common], InferenceResponses("ItemListResponse")),
                };
                break;
            case RecommenderAction.RelatedItems:
                paths[$"/related-items/{ns.Key}/{recommender.Name}/{{itemId}}"] = new JsonObject
                {
                    ["get"] = Operation(tag, summary, [PathParameter("itemId"), QueryParameter("userId", "Personalize for this user", String()), numResults, .. common], InferenceResponses("ItemListResponse")),
                };
                break;
            default:
                paths[$"/rerank-items/{ns.Key}/{recommender.Name}/{{userId}}/{{itemIds}}"] = new JsonObject
                {
                    ["get"] = Operation(tag, summary, [PathParameter("userId"), PathParameter("itemIds", "Comma-separated item IDs"), .. Clone(common)], InferenceResponses("PersonalizedRankingResponse")),
                };
                paths[$"/rerank-items/{ns.Key}/{recommender.Name}/{{userId}}"] = new JsonObject
                {
                    ["post"] = Operation(tag, summary, [PathParameter("userId"), .. Clone(common)], InferenceResponses("PersonalizedRankingResponse"), body: new JsonObject { ["type"] = "array", ["items"] = String(), ["maxItems"] = 500 }),
                };
                break;
        }
    }

    private static IEnumerable<JsonNode> Clone(IEnumerable<JsonNode> nodes) => nodes.Select(n => n.DeepClone());

    private static JsonObject Operation(string tag, string summary, IEnumerable<JsonNode> parameters, JsonObject responses, JsonObject? body = null)
    {
        var operation = new JsonObject
        {
            ["tags"] = new JsonArray(tag),
            ["summary"] = summary,
            ["parameters"] = new JsonArray(parameters.Select(p => p.Parent is null ? p : p.DeepClone()).ToArray()),
            ["responses"] = responses,
        };
        if (body is not null)
        {
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = body } },
            };
        }

        return operation;
    }

    private static JsonObject InferenceResponses(string schema) => Responses(
        ("200", "Recommendations", Ref(schema)),
        ("304", "Not modified (If-None-Match matched the current ETag)", null),
        ("400", "Invalid parameter", Ref("Error")),
        ("404", "Namespace or recommender not configured", Ref("Error")),
        ("429", "Backend throttled; retry after Retry-After", Ref("Error")),
        ("503", "Backend unavailable", Ref("Error")),
        ("504", "Backend timed out", Ref("Error")));

    private static JsonObject Responses(params (string Status, string Description, JsonObject? Schema)[] responses)
    {
        var result = new JsonObject();
        foreach (var (status, description, schema) in responses)
        {
            var response = new JsonObject { ["description"] = description };
            if (schema is not null)
            {
                response["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } };
            }

            result[status] = response;
        }

        return result;
    }

    private static JsonObject PathParameter(string name, string? description = null) => new()
    {
        ["name"] = name,
        ["in"] = "path",
        ["required"] = true,
        ["description"] = description ?? name,
        ["schema"] = String(),
    };

    private static JsonObject QueryParameter(string name, string description, JsonObject schema) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["required"] = false,
        ["description"] = description,
        ["schema"] = schema,
    };

    private static JsonObject String() => new() { ["type"] = "string" };

    private static JsonObject Ref(string name) => new() { ["$ref"] = $"#/components/schemas/{name}" };

    private static JsonObject Schemas()
    {
        var item = new JsonObject
        {
            ["type"] = "object",
            ["required"] = new JsonArray("itemId"),
            ["properties"] = new JsonObject
            {
                ["itemId"] = String(),
                ["score"] = new JsonObject { ["type"] = "number" },
                ["promotionName"] = String(),
                ["reason"] = new JsonObject { ["type"] = "array", ["items"] = String() },
                ["metadata"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = true },
            },
        };
        var matched = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["type"] = String(), ["feature"] = String(), ["details"] = new JsonObject { ["type"] = "object" } },
        };
        JsonObject List(string property) => new()
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                [property] = new JsonObject { ["type"] = "array", ["items"] = Ref("PredictedItem") },
                ["recommendationId"] = String(),
                ["matchedExperiment"] = Ref("MatchedExperiment"),
            },
        };
        var eventItem = new JsonObject
        {
            ["type"] = "object",
            ["required"] = new JsonArray("eventType"),
            ["properties"] = new JsonObject
            {
                ["eventId"] = String(),
                ["eventType"] = String(),
                ["eventValue"] = new JsonObject { ["type"] = "number" },
                ["itemId"] = String(),
                ["properties"] = new JsonObject { ["description"] = "JSON object or JSON string" },
                ["impression"] = new JsonObject { ["type"] = "array", ["items"] = String() },
                ["recommendationId"] = String(),
                ["sentAt"] = new JsonObject { ["description"] = "epoch seconds or ISO-8601" },
            },
        };
        return new JsonObject
        {
            ["PredictedItem"] = item,
            ["MatchedExperiment"] = matched,
            ["ItemListResponse"] = List("itemList"),
            ["PersonalizedRankingResponse"] = List("personalizedRanking"),
            ["Error"] = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject { ["type"] = String(), ["code"] = String(), ["message"] = String() },
            },
            ["EventsRequest"] = new JsonObject
            {
                ["type"] = "object",
                ["required"] = new JsonArray("sessionId", "eventList"),
                ["properties"] = new JsonObject
                {
                    ["sessionId"] = String(),
                    ["userId"] = String(),
                    ["eventList"] = new JsonObject { ["type"] = "array", ["items"] = eventItem },
                    ["experimentConversions"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "object" } },
                },
            },
            ["EventsResult"] = new JsonObject { ["type"] = "object" },
        };
    }
}
