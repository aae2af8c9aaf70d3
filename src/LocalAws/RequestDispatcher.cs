using Personalization.LocalAws.Recording;
using Personalization.LocalAws.Services;
using Personalization.LocalAws.Signing;

namespace Personalization.LocalAws;

/// <summary>The AWS endpoint: route, verify the signature, apply injected faults/latency, run, record.</summary>
public sealed class RequestDispatcher(LocalAwsState state)
{
    private readonly SigV4Verifier _verifier = new(state.Options.Credentials);

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();

        var operation = OperationRouter.Route(request);
        var recordedName = operation?.Operation ?? "Unknown";
        int status;
        string? errorCode = null;
        try
        {
            var failure = _verifier.Verify(request, body.Span, out var signingService);
            if (failure is { } f)
            {
                throw new LocalAwsException(403, f.Code, f.Message);
            }

            if (operation is null)
            {
                throw new LocalAwsException(404, "UnknownOperationException", $"The local server does not serve {request.Method} {request.Path} (X-Amz-Target '{request.Headers["X-Amz-Target"]}').");
            }

            if (signingService != operation.SigningName)
            {
                throw new LocalAwsException(403, "InvalidSignatureException", $"Credential should be scoped to correct service: '{operation.SigningName}'.");
            }

            var latency = state.Faults.LatencyFor(operation.Operation);
            if (latency > TimeSpan.Zero)
            {
                await Task.Delay(latency, state.Options.TimeProvider, context.RequestAborted);
            }

            if (state.Faults.Next(operation.Operation) is { } fault)
            {
                throw new LocalAwsException(fault.StatusCode, fault.ErrorCode, fault.Message ?? fault.ErrorCode);
            }

            var response = Execute(operation, context, body);
            status = response.StatusCode;
            await WriteAsync(context, response);
        }
        catch (LocalAwsException e)
        {
            status = e.StatusCode;
            errorCode = e.ErrorCode;
            await AwsErrorResult.WriteAsync(context, e.StatusCode, e.ErrorCode, e.Message);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            status = 499;
            errorCode = "ClientClosedRequest";
        }

        // Bodies are UTF-8 JSON for every supported operation; kept as text for easy assertions.
        state.Recorded.Add(new RecordedCall(
            state.Options.TimeProvider.GetUtcNow(), operation?.Service ?? "unknown", recordedName, request.Method,
            request.Path + request.QueryString, System.Text.Encoding.UTF8.GetString(body.Span), status, errorCode));
    }

    private LocalResponse Execute(AwsOperation operation, HttpContext context, ReadOnlyMemory<byte> body) => operation.Service switch
    {
        "personalize-runtime" => state.Runtime.Handle(operation.Operation, body),
        "personalize-events" => state.Events.Handle(operation.Operation, body),
        "personalize" => state.Control.Handle(operation.Operation, body),
        "firehose" => state.Firehose.Handle(operation.Operation, body),
        "appconfigdata" when operation.Operation == "StartConfigurationSession" => state.AppConfig.StartConfigurationSession(body),
        "appconfigdata" => state.AppConfig.GetLatestConfiguration(context.Request.Query["configuration_token"].ToString()),
        "lambda" => state.Lambda.Invoke(
            OperationRouter.PathParameter(context.Request, "/2015-03-31/functions/")!,
            NullIfEmpty(context.Request.Query["Qualifier"].ToString()),
            NullIfEmpty(context.Request.Headers["X-Amz-Invocation-Type"].ToString()),
            body),
        "sagemaker-runtime" => state.SageMaker.InvokeEndpoint(
            OperationRouter.PathParameter(context.Request, "/endpoints/")!,
            NullIfEmpty(context.Request.ContentType),
            body),
        _ => throw new LocalAwsException(404, "UnknownOperationException", "Unknown service " + operation.Service),
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static async Task WriteAsync(HttpContext context, LocalResponse response)
    {
        context.Response.StatusCode = response.StatusCode;
        context.Response.ContentType = response.ContentType;
        if (response.Headers is not null)
        {
            foreach (var (name, value) in response.Headers)
            {
                context.Response.Headers[name] = value;
            }
        }

        context.Response.ContentLength = response.Body.Length;
        await context.Response.Body.WriteAsync(response.Body, context.RequestAborted);
    }
}
