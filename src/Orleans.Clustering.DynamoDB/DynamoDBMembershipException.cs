using Orleans.Runtime;

namespace Personalization.Orleans.Clustering.DynamoDB;

/// <summary>
/// A DynamoDB membership call failed for a reason other than contention (which is reported as <c>false</c>): the
/// service or network failed, the cluster item is missing, or it would exceed DynamoDB's 400 KB item limit. The
/// runtime retries these with backoff; they are never turned into an empty table.
/// </summary>
public sealed class DynamoDBMembershipException : OrleansException
{
    public DynamoDBMembershipException(string message)
        : base(message)
    {
    }

    // Membership calls stay inside the silo (no grain call carries them), so keeping the AWS exception for the logs
    // is safe here, unlike in grain storage (dotnet/orleans #7721).
    public DynamoDBMembershipException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
