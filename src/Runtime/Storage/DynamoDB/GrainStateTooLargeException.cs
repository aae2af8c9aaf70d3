namespace Personalization.Runtime.Storage.DynamoDB;

/// <summary>The serialized state would exceed DynamoDB's 400 KiB item limit; nothing was sent to AWS.</summary>
public sealed class GrainStateTooLargeException(string message) : InvalidOperationException(message);
