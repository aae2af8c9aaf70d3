using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Personalization.Grains.Recommendations;
using Personalization.Grains.Recommenders;
using Xunit;

namespace Personalization.Grains.Tests.Recommendations;

public sealed class SerializedBodyTests
{
    private static readonly ReadOnlyMemory<byte> MetadataA = Encoding.UTF8.GetBytes("{\"a\":1}");
    private static readonly ReadOnlyMemory<byte> MetadataB = Encoding.UTF8.GetBytes("{\"b\":2}");

    // {"x":[A,B]} with A and B shared: own bytes {"x":[ , ]} and offsets where A and B go.
    private static SerializedBody Sample() =>
        new(Encoding.UTF8.GetBytes("{\"x\":[,]}"), [6, 7], [MetadataA, MetadataB]);

    private static string Text(SerializedBody body) => Encoding.UTF8.GetString(body.ToArray());

    [Fact]
    public void Segments_interleave_own_runs_and_shared_segments_and_skip_empty_runs()
    {
        var body = Sample();
        var segments = body.Segments.Select(s => Encoding.UTF8.GetString(s.Span)).ToArray();
        Assert.Equal(["{\"x\":[", "{\"a\":1}", ",", "{\"b\":2}", "]}"], segments);
        Assert.Equal("{\"x\":[{\"a\":1},{\"b\":2}]}", Text(body));
        Assert.Equal(body.ToArray().Length, body.Length);
    }

    [Fact]
    public void Adjacent_shared_segments_and_a_shared_start_need_no_own_run_between_them()
    {
        var body = new SerializedBody(Encoding.UTF8.GetBytes("}"), [0, 0], [MetadataA, MetadataB]);
        Assert.Equal(3, body.Segments.Count());
        Assert.Equal("{\"a\":1}{\"b\":2}}", Text(body));
    }

    [Fact]
    public void With_tail_replaces_the_closing_brace_and_keeps_the_shared_segments()
    {
        var body = Sample().WithTail(",\"s\":1}"u8);
        Assert.Equal("{\"x\":[{\"a\":1},{\"b\":2}],\"s\":1}", Text(body));
        Assert.Contains(body.Segments, s => s.Equals(MetadataA));
    }

    [Fact]
    public void Offsets_must_ascend_within_the_own_bytes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SerializedBody(new byte[3], [2, 1], [MetadataA, MetadataB]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SerializedBody(new byte[3], [4], [MetadataA]));
        Assert.Throws<ArgumentException>(() => new SerializedBody(new byte[3], [1], []));
    }

    [Fact]
    public void Serialize_writes_the_same_bytes_as_inlining_the_metadata()
    {
        // Items with and without metadata, score, promotion and reasons; the shared metadata is not copied.
        var result = new RecommenderResult(
            [
                new("i1", 0.5, Reason: ["popular"]),
                new("i2"),
                new("i3", 0.125, PromotionName: "promo"),
                new("caf\u00e9 & \"x\"", 1e-7),
            ],
            "rid-1");
        ReadOnlyMemory<byte>[] metadata = [MetadataA, default, MetadataB, MetadataA];
        var body = ResponseSerializer.Serialize(result, personalizedRanking: false, maxItems: 10, metadata, fields: null, writeMatchedExperiment: null);

        const string expected = "{\"itemList\":[{\"itemId\":\"i1\",\"score\":0.5,\"reason\":[\"popular\"],\"metadata\":{\"a\":1}},"
            + "{\"itemId\":\"i2\"},{\"itemId\":\"i3\",\"score\":0.125,\"promotionName\":\"promo\",\"metadata\":{\"b\":2}},"
            + "{\"itemId\":\"caf\u00e9 & \\\"x\\\"\",\"score\":1E-07,\"metadata\":{\"a\":1}}],\"recommendationId\":\"rid-1\"}";
        Assert.Equal(expected, Text(body));
        Assert.Equal(Encoding.UTF8.GetByteCount(expected), body.Length);
        Assert.Equal(2, body.Segments.Count(s => s.Equals(MetadataA)));

        var stale = ResponseSerializer.WithSource(body, ResponseSources.Stale);
        Assert.Equal(expected[..^1] + ",\"source\":\"stale\"}", Text(stale));
        Assert.NotEqual(ResponseSerializer.StrongETag(body), ResponseSerializer.StrongETag(stale));
        Assert.Equal(ResponseSerializer.StrongETag(new SerializedBody(body.ToArray())), ResponseSerializer.StrongETag(body));
    }

    [Fact]
    public void The_wire_shape_is_the_earlier_segment_array_and_length()
    {
        using var services = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(SerializedBody).Assembly).AddAssembly(typeof(SerializedBodyTests).Assembly)).BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();

        // What this version sends, a silo of the previous version reads as its record (and the other way round).
        var sent = serializer.SerializeToArray(new NewHolder { Body = Sample() });
        var legacy = serializer.Deserialize<LegacyHolder>(sent)!.Body;
        Assert.Equal("{\"x\":[{\"a\":1},{\"b\":2}]}", Encoding.UTF8.GetString(legacy.Segments.SelectMany(s => s.ToArray()).ToArray()));
        Assert.Equal(legacy.Length, legacy.Segments.Sum(s => s.Length));

        var back = serializer.Deserialize<NewHolder>(serializer.SerializeToArray(new LegacyHolder { Body = legacy }))!.Body;
        Assert.Equal("{\"x\":[{\"a\":1},{\"b\":2}]}", Text(back));
        Assert.Equal(Text(back), Text(serializer.Deserialize<NewHolder>(sent)!.Body));
    }
}

[GenerateSerializer]
public sealed class NewHolder
{
    [Id(0)]
    public SerializedBody Body { get; set; } = null!;
}

/// <summary>The body as the previous version declared it.</summary>
[GenerateSerializer, Alias("personalization.tests.LegacySerializedBody")]
public sealed record LegacySerializedBody(ReadOnlyMemory<byte>[] Segments, int Length);

[GenerateSerializer]
public sealed class LegacyHolder
{
    [Id(0)]
    public LegacySerializedBody Body { get; set; } = null!;
}
