namespace Personalization.Aws.Configuration;

/// <summary>Identity of one AWS service as its model describes it.</summary>
/// <param name="EndpointPrefix">The model's endpointPrefix; also the key of <see cref="AwsClientOptions.ServiceUrls"/>.</param>
/// <param name="SigningName">The SigV4 scope service name.</param>
/// <param name="Protocol">Wire protocol.</param>
/// <param name="TargetPrefix">X-Amz-Target prefix for awsJson services.</param>
/// <param name="HostPrefix">The host's first labels when they differ from the endpoint prefix (SageMaker runtime: runtime.sagemaker).</param>
public sealed record AwsService(string EndpointPrefix, string SigningName, AwsProtocol Protocol, string? TargetPrefix = null, string? HostPrefix = null)
{
    public static AwsService PersonalizeRuntime { get; } = new("personalize-runtime", "personalize", AwsProtocol.RestJson1);

    public static AwsService PersonalizeEvents { get; } = new("personalize-events", "personalize", AwsProtocol.RestJson1);

    public static AwsService Personalize { get; } = new("personalize", "personalize", AwsProtocol.AwsJson11, "AmazonPersonalize");

    public static AwsService Kinesis { get; } = new("kinesis", "kinesis", AwsProtocol.AwsJson11, "Kinesis_20131202");

    public static AwsService Firehose { get; } = new("firehose", "firehose", AwsProtocol.AwsJson11, "Firehose_20150804");

    public static AwsService AppConfigData { get; } = new("appconfigdata", "appconfig", AwsProtocol.RestJson1);

    public static AwsService Lambda { get; } = new("lambda", "lambda", AwsProtocol.RestJson1);

    /// <summary>SageMaker runtime: settings key sagemaker-runtime, host runtime.sagemaker.{region}, signing name sagemaker.</summary>
    public static AwsService SageMakerRuntime { get; } = new("sagemaker-runtime", "sagemaker", AwsProtocol.RestJson1, HostPrefix: "runtime.sagemaker");

    public static IReadOnlyList<AwsService> All { get; } = [PersonalizeRuntime, PersonalizeEvents, Personalize, Kinesis, Firehose, AppConfigData, Lambda, SageMakerRuntime];

    public override string ToString() => EndpointPrefix;
}
