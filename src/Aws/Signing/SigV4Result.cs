namespace Personalization.Aws.Signing;

/// <summary>The intermediate values of one signature, exposed for tests and for the local server's verifier.</summary>
public sealed record SigV4Result(string CanonicalRequest, string StringToSign, string Signature, string SignedHeaders, string Authorization);
