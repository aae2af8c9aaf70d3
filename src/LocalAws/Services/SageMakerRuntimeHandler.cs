using System.Collections.Concurrent;

namespace Personalization.LocalAws.Services;

/// <summary>
/// sagemaker-runtime InvokeEndpoint. Every endpoint exists and runs <see cref="RecommenderFunction"/> on JSON bodies
/// unless a test or PUT /_local/sagemaker/endpoints/{name} programmed its answer. A body the model cannot read
/// answers 424 ModelError, as SageMaker does when the container returns an error.
/// </summary>
public sealed class SageMakerRuntimeHandler(RecommenderFunction defaults)
{
    private readonly ConcurrentDictionary<string, EndpointAnswer> _answers = new(StringComparer.Ordinal);

    /// <summary>Replaces the default model of every endpoint without a programmed answer (tests).</summary>
    public Func<string, ReadOnlyMemory<byte>, EndpointAnswer>? Model { get; set; }

    public void SetAnswer(string endpointName, EndpointAnswer answer) => _answers[endpointName] = answer;

    public void ClearAnswer(string endpointName) => _answers.TryRemove(endpointName, out _);

    public LocalResponse InvokeEndpoint(string endpointName, string? contentType, ReadOnlyMemory<byte> body)
    {
        if (endpointName.Length is 0 or > 63)
        {
            throw new LocalAwsException(400, "ValidationError", "EndpointName must have length between 1 and 63.");
        }

        if (body.Length > 6 * 1024 * 1024)
        {
            throw new LocalAwsException(400, "ValidationError", "Body must be at most 6 MB.");
        }

        EndpointAnswer answer;
        if (_answers.TryGetValue(endpointName, out var programmed))
        {
            answer = programmed;
        }
        else if (Model is { } model)
        {
            answer = model(endpointName, body);
        }
        else
        {
            if (contentType is null || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            {
                throw new LocalAwsException(424, "ModelError", $"Received client error (415) from primary with message \"the local model reads application/json, not {contentType}\".");
            }

            try
            {
                answer = new EndpointAnswer(defaults.Answer(body));
            }
            catch (FormatException e)
            {
                throw new LocalAwsException(424, "ModelError", $"Received client error (400) from primary with message \"{e.Message}\".");
            }
        }

        return new LocalResponse(200, answer.Body, answer.ContentType, new Dictionary<string, string> { ["x-Amzn-Invoked-Production-Variant"] = "AllTraffic" });
    }
}

/// <summary>What a local endpoint's model returns.</summary>
public sealed record EndpointAnswer(ReadOnlyMemory<byte> Body, string ContentType = "application/json");
