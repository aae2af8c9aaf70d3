using Personalization.LocalAws.Faults;
using Personalization.LocalAws.Recording;
using Personalization.LocalAws.Services;

namespace Personalization.LocalAws;

/// <summary>Everything tests reach into: recorded calls, faults, and the per-service behaviour.</summary>
public sealed class LocalAwsState
{
    public LocalAwsState(LocalAwsOptions options)
    {
        Options = options;
        DefaultRecommender = new DeterministicRecommender(options.RecommendationSeed, options.CatalogSize);
        Runtime = new PersonalizeRuntimeHandler(DefaultRecommender);
        Control = new PersonalizeControlHandler(ControlPlane);
        AppConfig = new AppConfigHandler(options.DefaultPollIntervalSeconds);
        var function = new RecommenderFunction(DefaultRecommender);
        Lambda = new LambdaHandler(function);
        SageMaker = new SageMakerRuntimeHandler(function);
    }

    public LocalAwsOptions Options { get; }

    public CallRecorder Recorded { get; } = new();

    public FaultInjector Faults { get; } = new();

    public DeterministicRecommender DefaultRecommender { get; }

    public PersonalizeRuntimeHandler Runtime { get; }

    public PersonalizeEventsHandler Events { get; } = new();

    public ControlPlaneModel ControlPlane { get; } = new();

    public PersonalizeControlHandler Control { get; }

    public FirehoseHandler Firehose { get; } = new();

    public AppConfigHandler AppConfig { get; }

    /// <summary>lambda Invoke: programmed answers per function, else the default recommender function.</summary>
    public LambdaHandler Lambda { get; }

    /// <summary>sagemaker-runtime InvokeEndpoint: programmed answers per endpoint, else the default model.</summary>
    public SageMakerRuntimeHandler SageMaker { get; }
}
