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

        if (RestRoutes.TryGetValue(request.Method + " " + request.Path.Value?.TrimEnd('/'), out var route))
        {
            return new AwsOperation(route.Service, route.Operation, route.SigningName, false);
        }

        // Routes with a name in the path: POST /2015-03-31/functions/{FunctionName}/invocations, POST /endpoints/{EndpointName}/invocations.
        if (HttpMethods.IsPost(request.Method))
        {
            if (PathParameter(request, "/2015-03-31/functions/") is not null)
            {
                return new AwsOperation("lambda", "Invoke", "lambda", false);
            }

            if (PathParameter(request, "/endpoints/") is not null)
            {
                return new AwsOperation("sagemaker-runtime", "InvokeEndpoint", "sagemaker", false);
            }
        }

        return null;
    }

    /// <summary>The unescaped {name} of <c>{prefix}{name}/invocations</c>, or null when the path has another shape.</summary>
    public static string? PathParameter(HttpRequest request, string prefix)
    {
        const string Suffix = "/invocations";
        var path = request.Path.Value ?? string.Empty;
        if (!path.StartsWith(prefix, StringComparison.Ordinal) || !path.EndsWith(Suffix, StringComparison.Ordinal) || path.Length <= prefix.Length + Suffix.Length)
        {
            return null;
        }

        var name = path[prefix.Length..^Suffix.Length];
        return name.Contains('/', StringComparison.Ordinal) ? null : name;
    }
}
