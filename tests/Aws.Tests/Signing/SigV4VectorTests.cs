using Personalization.Aws.Signing;
using Xunit;

namespace Personalization.Aws.Tests.Signing;

public sealed class SigV4VectorTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var vector in SigV4Vector.All())
        {
            data.Add(vector.Name);
        }

        return data;
    }

    [Fact]
    public void Both_suites_are_present()
    {
        var names = SigV4Vector.All().Select(v => v.Name).ToList();
        Assert.Equal(34, names.Count(n => n.StartsWith("aws4_testsuite/", StringComparison.Ordinal)));
        Assert.Equal(38, names.Count(n => n.StartsWith("aws-c-auth/", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Signs_the_vector_like_the_published_suite(string name)
    {
        var vector = SigV4Vector.All().Single(v => v.Name == name);
        if (SigV4Vector.Unsendable.TryGetValue(name, out var reason))
        {
            // Documented skip: the request cannot be expressed by HttpClient, so assert that it indeed cannot.
            Assert.False(string.IsNullOrEmpty(reason));
            Assert.ThrowsAny<Exception>(() => vector.ToHttpRequest());
            return;
        }

        using var request = vector.ToHttpRequest();
        var result = SigV4Signer.Sign(request, vector.Body(), vector.Credentials, SigV4Vector.Scope, SigV4Vector.Time, vector.Options);

        Assert.Equal(vector.ExpectedCanonicalRequest, result.CanonicalRequest);
        Assert.Equal(vector.ExpectedStringToSign, result.StringToSign);
        Assert.Equal(vector.ExpectedSignature, result.Signature);
        Assert.Equal(result.Authorization, Assert.Single(request.Headers.GetValues("Authorization")));
    }
}
