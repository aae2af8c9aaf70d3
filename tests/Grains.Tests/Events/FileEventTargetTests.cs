using System.Text.Json;
using Personalization.Grains.Events;
using Personalization.TestSupport;
using Xunit;
using static Personalization.Grains.Tests.Events.EventFixtures;

namespace Personalization.Grains.Tests.Events;

public sealed class FileEventTargetTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"events-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Writes_json_lines_and_rotates_by_size_without_losing_or_reordering_a_line()
    {
        var path = Path.Combine(_directory, "events.jsonl");
        var target = new FileEventTarget("file", new FileTargetOptions { Path = path, MaxBytes = 600, FlushToDisk = true }, _time);
        var queue = new TargetQueue("shop", target, _time, Immediate());

        for (var request = 0; request < 5; request++)
        {
            var result = await EventFanOut.SendAsync(Submission("s", "u", 6, $"r{request}-"), [queue], DeliveryMode.Sync);
            Assert.Equal(FanOutStatus.Delivered, result.Status);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        await queue.StopAsync(TimeSpan.FromSeconds(5));
        await target.DisposeAsync();

        var files = target.RotatedFiles().Append(path).ToList();
        Assert.True(files.Count > 2);
        Assert.All(files, f => Assert.InRange(new FileInfo(f).Length, 1, 600));
        var ids = files.SelectMany(File.ReadLines).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("eventId").GetString()).ToList();
        Assert.Equal(Enumerable.Range(0, 5).SelectMany(r => Enumerable.Range(0, 6).Select(e => $"r{r}-{e}")), ids);
    }

    [Fact]
    public async Task Keeps_only_the_configured_number_of_rotated_files()
    {
        var path = Path.Combine(_directory, "events.jsonl");
        var target = new FileEventTarget("file", new FileTargetOptions { Path = path, MaxBytes = 300, MaxRotatedFiles = 2 }, _time);
        var queue = new TargetQueue("shop", target, _time, Immediate());

        await EventFanOut.SendAsync(Submission("s", "u", 20), [queue], DeliveryMode.Sync);
        await queue.StopAsync(TimeSpan.FromSeconds(5));
        await target.DisposeAsync();

        Assert.Equal(2, target.RotatedFiles().Count);
        Assert.Equal("e19", File.ReadLines(path).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("eventId").GetString()).Last());
    }

    [Fact]
    public async Task Appends_to_an_existing_file()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "events.jsonl");
        await File.WriteAllTextAsync(path, "{\"eventId\":\"old\"}\n");
        var target = new FileEventTarget("file", new FileTargetOptions { Path = path }, _time);
        var queue = new TargetQueue("shop", target, _time, Immediate());

        await EventFanOut.SendAsync(Submission("s", "u", 2), [queue], DeliveryMode.Sync);
        await queue.StopAsync(TimeSpan.FromSeconds(5));
        await target.DisposeAsync();

        Assert.Equal(3, File.ReadLines(path).Count());
    }
}
