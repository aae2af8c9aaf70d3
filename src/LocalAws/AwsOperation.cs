namespace Personalization.LocalAws;

/// <summary>Which service and operation an incoming request addresses.</summary>
/// <param name="Service">Endpoint prefix: personalize-runtime, personalize-events, personalize, firehose, appconfigdata, lambda, sagemaker-runtime.</param>
/// <param name="Operation">Model operation name.</param>
/// <param name="SigningName">The SigV4 service name the request must be signed for.</param>
/// <param name="AwsJson">awsJson1.1 (error in __type) rather than restJson1.</param>
public sealed record AwsOperation(string Service, string Operation, string SigningName, bool AwsJson);
