namespace Personalization.LocalAws;

/// <summary>
/// Finds the addressed operation: awsJson by X-Amz-Target, restJson by path — checked against the signing scope's
/// service, since several services share this one port.
/// </summary>
public static class OperationRouter
{
    private static readonly Dictionary<string, (string Service, string Operation, string SigningName)> RestRoutes = new(StringComparer.Ordinal)
    {
        ["POST /recommendations"] = ("personalize-runtime", "GetRecommendations", "personalize"),
        ["POST /personalize-ranking"] = ("personalize-runtime", "GetPersonalizedRanking", "personalize"),
        ["POST /action-recommendations"] = ("personalize-runtime", "GetActionRecommendations", "personalize"),
        ["POST /events"] = ("personalize-events", "PutEvents", "personalize"),
        ["POST /items"] = ("personalize-events", "PutItems", "personalize"),
        ["POST /users"] = ("personalize-events", "PutUsers", "personalize"),
        ["POST /action-interactions"] = ("personalize-events", "PutActionInteractions", "personalize"),
        ["POST /configurationsessions"] = ("appconfigdata", "StartConfigurationSession", "appconfig"),
        ["GET /configuration"] = ("appconfigdata", "GetLatestConfiguration", "appconfig"),
    };

    public static AwsOperation? Route(HttpRequest request)
    {
        var target = request.Headers["X-Amz-Target"].ToString();
        if (target.Length > 0)
        {
            var dot = target.IndexOf('.');
            var prefix = dot < 0 ? target : target[..dot];
            var operation = dot < 0 ? string.Empty : target[(dot + 1)..];
            return prefix switch
            {
                "AmazonPersonalize" => new AwsOperation("personalize", operation, "personalize", true),
                "Firehose_20150804" => new AwsOperation("firehose", operation, "firehose", true),
                _ => null,
            };
        }

        return RestRoutes.TryGetValue(request.Method + " " + request.Path.Value?.TrimEnd('/'), out var route)
            ? new AwsOperation(route.Service, route.Operation, route.SigningName, false)
            : null;
    }
}
