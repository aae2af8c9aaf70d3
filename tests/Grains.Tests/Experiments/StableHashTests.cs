using StableHash = Personalization.Grains.Experiments.StableHash;
using Xunit;
using System.Buffers.Binary;
using System.Text;
using Personalization.Grains.Experiments;

namespace Personalization.Grains.Tests.Experiments;

public sealed class StableHashTests
{
    // Reference XXH64 outputs (xxHash test vectors and the python-xxhash documentation example), so assignment
    // cannot silently change with a refactor or a runtime upgrade.
    [Theory]
    [InlineData("", 0UL, 0xEF46DB3751D8E999UL)]
    [InlineData("a", 0UL, 0xD24EC4F1A98C6E5BUL)]
    [InlineData("abc", 0UL, 0x44BC2CF5AD770999UL)]
    [InlineData("Nobody inspects the spammish repetition", 0UL, 0xFBCEA83C8A378BF1UL)]
    public void Matches_reference_xxh64(string text, ulong seed, ulong expected)
    {
        Assert.Equal(expected, StableHash.Hash(Encoding.UTF8.GetBytes(text), seed));
        Assert.Equal(expected, StableHash.Hash(text, seed));
    }

    [Fact]
    public void Long_strings_hash_like_their_bytes()
    {
        var text = string.Concat(Enumerable.Repeat("ünïcode-user-", 40));
        Assert.Equal(StableHash.Hash(Encoding.UTF8.GetBytes(text), 42), StableHash.Hash(text, 42));
    }

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(0x0123456789ABCDEFUL, 7UL)]
    [InlineData(ulong.MaxValue, ulong.MaxValue)]
    public void Hash_of_a_number_is_xxh64_of_its_little_endian_bytes(ulong value, ulong seed)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        Assert.Equal(StableHash.Hash(bytes, seed), StableHash.Hash(value, seed));
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(ulong.MaxValue)]
    public void Unit_interval_excludes_zero_and_includes_one(ulong hash)
    {
        var u = StableHash.ToUnitInterval(hash);
        Assert.InRange(u, double.Epsilon, 1.0);
        Assert.True(double.IsFinite(-Math.Log(u)));
    }
}
