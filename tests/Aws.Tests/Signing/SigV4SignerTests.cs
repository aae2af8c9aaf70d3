using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;
using FsCheck;
using FsCheck.Fluent;
using Personalization.Aws.Signing;
using Xunit;

namespace Personalization.Aws.Tests.Signing;

public sealed class SigV4SignerTests
{
    private static readonly ImmutableCredentials Credentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token");
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 20, 30, TimeSpan.Zero);

    private static HttpRequestMessage AwsJsonRequest(byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "https://personalize.us-east-1.amazonaws.com/") { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonPersonalize.ListCampaigns");
        return request;
    }

    [Fact]
    public void The_signature_agrees_with_the_AWS_SDK_signer()
    {
        var body = "{\"maxResults\":10}"u8.ToArray();
        using var request = AwsJsonRequest(body);

        var ours = SigV4Signer.Sign(request, body, Credentials, new SigV4Scope("us-east-1", "personalize"), Now);
        var sdk = AWS4Signer.ComputeSignature(Credentials, "us-east-1", Now.UtcDateTime, "personalize", ours.SignedHeaders, ours.CanonicalRequest);

        Assert.Equal(sdk.Signature, ours.Signature);
        Assert.Equal("content-type;host;x-amz-date;x-amz-security-token;x-amz-target", ours.SignedHeaders);
        Assert.Equal("20260301T102030Z", request.Headers.GetValues("X-Amz-Date").Single());
        Assert.Equal("session-token", request.Headers.GetValues("X-Amz-Security-Token").Single());
        Assert.False(request.Headers.Contains("X-Amz-Content-Sha256"));
    }

    [Fact]
    public void Signing_again_replaces_the_previous_signature_headers()
    {
        var body = "{}"u8.ToArray();
        using var request = AwsJsonRequest(body);

        SigV4Signer.Sign(request, body, Credentials, new SigV4Scope("us-east-1", "personalize"), Now);
        var second = SigV4Signer.Sign(request, body, Credentials, new SigV4Scope("us-east-1", "personalize"), Now.AddSeconds(1));

        Assert.Equal(second.Authorization, request.Headers.GetValues("Authorization").Single());
        Assert.Equal("20260301T102031Z", request.Headers.GetValues("X-Amz-Date").Single());
    }

    [Fact]
    public void Service_paths_are_encoded_twice()
    {
        var builder = new System.Text.StringBuilder();
        CanonicalRequest.AppendPath(builder, "/campaigns/a%20b/x:y", SigV4Options.Default);

        Assert.Equal("/campaigns/a%2520b/x%3Ay", builder.ToString());
    }

    [Fact]
    public void Query_canonicalisation_does_not_depend_on_parameter_order()
    {
        var pairs = Gen.Elements("a", "B", "c d", "é", "x=y", "~", "%", "&").Two().ListOf();
        Prop.ForAll(pairs.ToArbitrary(), list =>
        {
            var items = list.Select(p => Uri.EscapeDataString(p.Item1) + "=" + Uri.EscapeDataString(p.Item2)).ToList();
            var forward = Canonical(string.Join('&', items));
            items.Reverse();
            return forward == Canonical(string.Join('&', items));
        }).QuickCheckThrowOnFailure();

        static string Canonical(string query)
        {
            var builder = new System.Text.StringBuilder();
            CanonicalRequest.AppendQuery(builder, query);
            return builder.ToString();
        }
    }
}
