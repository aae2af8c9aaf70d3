namespace Personalization.Grains.Tests.Recommenders.Http;

/// <summary>Answers HTTP calls in-process and remembers the URLs asked for.</summary>
internal sealed class StubHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
{
    public List<Uri> Requested { get; } = [];

    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requested.Add(request.RequestUri!);
        Entered.TrySetResult();
        return answer(request, cancellationToken);
    }
}
