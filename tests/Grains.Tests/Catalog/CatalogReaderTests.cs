using Xunit;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Personalization.Grains.Catalog;

namespace Personalization.Grains.Tests.Catalog;

public class CatalogReaderTests
{
    private const string Lines =
        """
        {"id":"a","name":"Alpha","genres":["comedy","drama"],"price":12.5,"inStock":true,"dims":{"w":1}}
        not json
        {"name":"no id"}

        [1,2]
        {"id":"b","name":"Beta"}
        {"id":"a","name":"Duplicate"}
        """;

    [Fact]
    public async Task Reads_items_and_reports_each_bad_line_with_its_number()
    {
        var result = await CatalogReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(Lines)), CancellationToken.None);

        Assert.Equal(2, result.Catalog.Count);
        Assert.Equal([2L, 3L, 5L, 7L], result.Errors.Select(e => e.LineNumber));
        Assert.Contains("invalid JSON", result.Errors[0].Message);
        Assert.Contains("\"id\"", result.Errors[1].Message);
        Assert.Contains("duplicate id", result.Errors[3].Message);
        Assert.Equal("Alpha", JsonDocument.Parse(result.Catalog.Find("a")!.MetadataJson).RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Metadata_keeps_everything_but_the_id_and_fields_index_scalars_and_arrays()
    {
        var result = await CatalogReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(Lines)), CancellationToken.None);
        var item = result.Catalog.Find("a")!;

        var metadata = JsonDocument.Parse(item.MetadataJson).RootElement;
        Assert.False(metadata.TryGetProperty("id", out _));
        Assert.Equal(1, metadata.GetProperty("dims").GetProperty("w").GetInt32());
        Assert.Equal(["comedy", "drama"], item.GetField("GENRES"));
        Assert.Equal(["12.5"], item.GetField("price"));
        Assert.Equal(["true"], item.GetField("inStock"));
        Assert.Empty(item.GetField("dims"));
    }

    [Fact]
    public async Task Reads_gzip_recognised_by_magic_bytes_whatever_the_file_name()
    {
        var path = Path.Combine(Path.GetTempPath(), $"catalog-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using (var file = File.Create(path))
            await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            {
                await gzip.WriteAsync(Encoding.UTF8.GetBytes("{\"id\":\"x\",\"category\":\"books\"}\n{\"id\":\"y\"}\n"));
            }

            var result = await CatalogReader.LoadAsync(path, CancellationToken.None);

            Assert.Empty(result.Errors);
            Assert.Equal(["books"], result.Catalog.Find("x")!.GetField("category"));
            Assert.NotNull(result.Catalog.Find("y"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
