using Personalization.Aws.Lambda;
using Personalization.Grains.Recommendations;
using Personalization.Grains.Recommenders.Resilience;

namespace Personalization.Grains.Recommenders.Lambda;

/// <summary>
/// Runs a recommender's `responsePostProcessor` as personalization-apis does: the Lambda function receives the
/// payload of <see cref="FunctionPayload"/> with <c>response</c> (the backend's answer in the Personalize shape, item
/// metadata the backend returned included) and returns the replacement in the same shape. Its time budget is the one
/// of other remote backends (<c>Resilience:OtherBudget</c>), on top of the AWS client's own deadline and retries.
/// </summary>
public sealed class ResponsePostProcessor(ILambdaClient? lambda, BackendResilienceOptions options, TimeProvider time)
{
    /// <summary>The code of every post-processor failure: the pipeline neither retries it with fallbacks nor covers it with a stale answer.</summary>
    public const string FailureCode = "PostProcessorFailed";

    /// <summary>The replacement of <paramref name="result"/>; a failure is a <see cref="RecommenderBackendException"/> with <see cref="FailureCode"/>.</summary>
    public async Task<RecommenderResult> ProcessAsync(BackendRequest request, RecommenderResult result, CancellationToken cancellationToken)
    {
        var recommender = request.Recommender;
        var config = recommender.ResponsePostProcessor ?? throw new ArgumentException("the recommender has no responsePostProcessor.", nameof(request));
        var subject = recommender.Name + "/responsePostProcessor";
        var isRerank = recommender.Action == Configuration.RecommenderAction.RerankItems;
        if (lambda is null)
        {
            throw Failed(BackendFailure.Unavailable, $"recommender '{recommender.Name}' has a responsePostProcessor, but this deployment has no Lambda client.");
        }

        var metadata = result.Items.Select(item => item.Metadata).ToArray();
        var response = ResponseSerializer.Serialize(result, isRerank, result.Items.Count, metadata, fields: null, writeMatchedExperiment: null);
        var payload = FunctionPayload.Write(request, request.NumResults, response.ToArray());

        using var deadline = new CancellationTokenSource(options.OtherBudget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var answer = await LambdaRecommenderBackend.InvokeAsync(lambda, config.Arn, config.Qualifier, payload, subject, linked.Token).ConfigureAwait(false);
            return LambdaRecommenderBackend.Read(answer, subject, isRerank, FailureCode);
        }
        catch (OperationCanceledException exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Failed(BackendFailure.Timeout, $"the responsePostProcessor of recommender '{recommender.Name}' did not answer within {options.OtherBudget.TotalMilliseconds:0} ms.", exception);
        }
        catch (RecommenderBackendException exception)
        {
            throw Failed(exception.Failure, $"the responsePostProcessor of recommender '{recommender.Name}' failed: {exception.Message}", exception);
        }
    }

    private static RecommenderBackendException Failed(BackendFailure failure, string message, Exception? inner = null) =>
        new(failure is BackendFailure.Timeout ? BackendFailure.Timeout : BackendFailure.BadResponse, FailureCode, message, inner: inner);
}
