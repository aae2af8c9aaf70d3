namespace Personalization.Aws.Signing;

/// <summary>The region and signing name that form the credential scope (e.g. us-east-1 / personalize).</summary>
public readonly record struct SigV4Scope(string Region, string Service);
