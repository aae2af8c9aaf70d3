using Orleans.Runtime;

namespace Personalization.Orleans.Persistence.DynamoDB;

/// <summary>
/// The serialized state would exceed DynamoDB's 400 KB item limit; nothing was sent to AWS. An
/// <see cref="OrleansException"/>, so the runtime hands it to the grain as is instead of wrapping it.
/// </summary>
public sealed class GrainStateTooLargeException : OrleansException
{
    public GrainStateTooLargeException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// A DynamoDB call failed. It carries the AWS error code, status and request id in its message but not the AWS
/// exception itself: AWS exception types do not travel well through Orleans' exception serialization (dotnet/orleans
/// #7721). The full AWS exception is logged by the storage before this is thrown.
/// </summary>
public sealed class DynamoDBGrainStorageException : OrleansException
{
    public DynamoDBGrainStorageException(string message)
        : base(message)
    {
    }
}
