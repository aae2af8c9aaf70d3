using Microsoft.Extensions.Logging;
using Personalization.Aws.AppConfigData;
using Personalization.Aws.Configuration;
using Personalization.Aws.Credentials;
using Personalization.Aws.Firehose;
using Personalization.Aws.Kinesis;
using Personalization.Aws.Lambda;
using Personalization.Aws.Personalize.Control;
using Personalization.Aws.Personalize.Events;
using Personalization.Aws.Personalize.Runtime;
using Personalization.Aws.SageMakerRuntime;
using Personalization.Aws.Transport;

namespace Personalization.Aws;

/// <summary>
/// Entry point: one transport (connection pools, credentials, retry pipeline) shared by all clients it creates.
/// Credentials: explicit ones in the options, else <paramref name="credentials"/>, else the SDK default chain.
/// </summary>
public sealed class AwsClientFactory : IDisposable
{
    public AwsClientFactory(AwsClientOptions options, IAwsCredentialsSource? credentials = null, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var source = credentials
            ?? (options.AccessKeyId is { Length: > 0 }
                ? new StaticCredentialsSource(options.AccessKeyId, options.SecretAccessKey!, options.SessionToken)
                : new SdkCredentialsSource(timeProvider: timeProvider));
        Transport = new AwsTransport(options, source, timeProvider, logger: loggerFactory?.CreateLogger<AwsTransport>());
    }

    public AwsTransport Transport { get; }

    public IPersonalizeRuntimeClient CreatePersonalizeRuntimeClient() => new PersonalizeRuntimeClient(Transport);

    public IPersonalizeEventsClient CreatePersonalizeEventsClient() => new PersonalizeEventsClient(Transport);

    public IPersonalizeClient CreatePersonalizeClient() => new PersonalizeClient(Transport);

    public IKinesisClient CreateKinesisClient() => new KinesisClient(Transport);

    public IFirehoseClient CreateFirehoseClient() => new FirehoseClient(Transport);

    public IAppConfigDataClient CreateAppConfigDataClient() => new AppConfigDataClient(Transport);

    public ILambdaClient CreateLambdaClient() => new LambdaClient(Transport);

    public ISageMakerRuntimeClient CreateSageMakerRuntimeClient() => new SageMakerRuntimeClient(Transport);

    public void Dispose() => Transport.Dispose();
}
