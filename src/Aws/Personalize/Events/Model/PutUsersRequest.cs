namespace Personalization.Aws.Personalize.Events;

/// <summary>Input of PutUsers (POST /users).</summary>
public sealed class PutUsersRequest
{
    public string DatasetArn { get; set; } = "";

    public List<User> Users { get; set; } = [];
}
