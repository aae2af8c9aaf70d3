using Xunit;
using System.Text;
using Personalization.Grains.Recommenders.BuiltIn.Interactions;

namespace Personalization.Grains.Tests.Recommenders.BuiltIn;

public class InteractionsCsvReaderTests
{
    private static Task<InteractionLoadResult> Read(string csv) =>
        InteractionsCsvReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), CancellationToken.None);

    [Fact]
    public async Task Header_names_columns_in_any_order_and_case()
    {
        var result = await Read("event_type,Timestamp,ITEM_ID,user_id,EVENT_VALUE\nview,100,i1,u1,\npurchase,200,\"i,2\",u2,9.5\n");

        Assert.Empty(result.Errors);
        Assert.Equal(
            [new Interaction("u1", "i1", 100, "view"), new Interaction("u2", "i,2", 200, "purchase", 9.5)],
            result.Interactions);
    }

    [Fact]
    public async Task Bad_rows_are_reported_with_line_numbers_and_skipped()
    {
        var result = await Read("USER_ID,ITEM_ID,TIMESTAMP\nu1,i1,yesterday\nu1,i1\n,i1,5\nu2,i2,7\n");

        Assert.Equal([new Interaction("u2", "i2", 7, "")], result.Interactions);
        Assert.Equal([2L, 3L, 4L], result.Errors.Select(e => e.LineNumber));
        Assert.Contains("TIMESTAMP", result.Errors[0].Message);
    }

    [Fact]
    public async Task Missing_required_column_is_an_error_on_the_header()
    {
        var result = await Read("USER_ID,TIMESTAMP\nu1,5\n");

        Assert.Empty(result.Interactions);
        Assert.Contains("ITEM_ID", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public async Task Writer_output_reads_back_identically()
    {
        var path = Path.Combine(Path.GetTempPath(), $"interactions-{Guid.NewGuid():N}.csv.gz");
        Interaction[] rows = [new("u1", "i\"1", 10, "click", 2.5), new("u2", "i2", 11, "view")];
        try
        {
            await InteractionsCsvWriter.WriteAsync(path, rows, CancellationToken.None);
            var result = await InteractionsCsvReader.LoadAsync(path, CancellationToken.None);

            Assert.Empty(result.Errors);
            Assert.Equal(rows, result.Interactions);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
