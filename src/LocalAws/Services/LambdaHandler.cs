using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Personalization.LocalAws.Services;

/// <summary>
/// lambda Invoke (RequestResponse). Every function exists and runs <see cref="RecommenderFunction"/> unless a test or
/// PUT /_local/lambda/functions/{name} programmed its answer: any bytes (a malformed body too), optionally as a
/// function error (HTTP 200 with X-Amz-Function-Error, as Lambda answers when the code throws).
/// </summary>
public sealed class LambdaHandler(RecommenderFunction defaults)
{
    private readonly ConcurrentDictionary<string, FunctionAnswer> _answers = new(StringComparer.Ordinal);

    /// <summary>Replaces the default code of every function without a programmed answer (tests).</summary>
    public Func<FunctionInvocation, FunctionAnswer>? Code { get; set; }

    /// <summary>What <paramref name="function"/> (a name or ARN) answers from now on.</summary>
    public void SetAnswer(string function, FunctionAnswer answer) => _answers[NameOf(function).Name] = answer;

    public void ClearAnswer(string function) => _answers.TryRemove(NameOf(function).Name, out _);

    public LocalResponse Invoke(string functionName, string? qualifier, string? invocationType, ReadOnlyMemory<byte> payload)
    {
        var (name, arnQualifier) = NameOf(functionName);
        if (name.Length == 0)
        {
            throw LocalAwsException.Validation("FunctionName must be a function name or ARN.");
        }

        if (invocationType is { Length: > 0 } and not "RequestResponse")
        {
            throw new LocalAwsException(400, "InvalidParameterValueException", $"The local server runs only RequestResponse invocations, not {invocationType}.");
        }

        var invocation = new FunctionInvocation(name, qualifier ?? arnQualifier, payload);
        FunctionAnswer answer;
        if (_answers.TryGetValue(name, out var programmed))
        {
            answer = programmed;
        }
        else if (Code is { } code)
        {
            answer = code(invocation);
        }
        else
        {
            try
            {
                answer = new FunctionAnswer(defaults.Answer(payload));
            }
            catch (FormatException e)
            {
                answer = FunctionAnswer.Error("InvalidPayload", e.Message);
            }
        }

        var headers = new Dictionary<string, string> { ["X-Amz-Executed-Version"] = invocation.Qualifier is { } q && q.All(char.IsAsciiDigit) ? q : "$LATEST" };
        if (answer.FunctionError is { } error)
        {
            headers["X-Amz-Function-Error"] = error;
        }

        return new LocalResponse(200, answer.Payload, "application/json", headers);
    }

    /// <summary>The function name and qualifier of a name, partial ARN (123456789012:function:name) or full ARN.</summary>
    private static (string Name, string? Qualifier) NameOf(string function)
    {
        var parts = function.Split(':');
        var at = Array.IndexOf(parts, "function");
        if (at < 0)
        {
            return parts.Length switch
            {
                1 => (parts[0], null),
                2 => (parts[0], parts[1]),
                _ => (string.Empty, null),
            };
        }

        return at + 1 >= parts.Length ? (string.Empty, null) : (parts[at + 1], at + 2 < parts.Length ? parts[at + 2] : null);
    }
}

/// <summary>One call of a local function.</summary>
public sealed record FunctionInvocation(string FunctionName, string? Qualifier, ReadOnlyMemory<byte> Payload);

/// <summary>What a local function answers: its payload, and "Unhandled"/"Handled" when it failed.</summary>
public sealed record FunctionAnswer(ReadOnlyMemory<byte> Payload, string? FunctionError = null)
{
    /// <summary>The error object Lambda returns for an exception thrown by the function.</summary>
    public static FunctionAnswer Error(string errorType, string message) => new(
        Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object> { ["errorMessage"] = message, ["errorType"] = errorType, ["stackTrace"] = Array.Empty<string>() })),
        "Unhandled");
}
