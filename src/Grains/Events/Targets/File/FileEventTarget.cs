using System.Globalization;

namespace Personalization.Grains.Events;

/// <summary>
/// <c>file</c>: appends JSON Lines to a local file, the embedded default's target. When the next line would take the
/// file past <see cref="FileTargetOptions.MaxBytes"/>, the file is renamed to <c>{name}.{utc timestamp}{ext}</c> and a
/// new one started. Lines are written whole per batch; a failed write is retried from the first unwritten line
/// (a line torn by a crash may repeat: delivery is at least once).
/// </summary>
public sealed class FileEventTarget : IEventTarget, IAsyncDisposable
{
    private readonly FileTargetOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly EventPayloadFormat _format;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private FileStream? _stream;

    public FileEventTarget(string name, FileTargetOptions options, TimeProvider timeProvider)
    {
        if (options.MaxBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "maxBytes must be positive");
        }

        Name = name;
        _options = options;
        _timeProvider = timeProvider;
        _format = options.Envelope ? EventPayloadFormat.Envelope : EventPayloadFormat.Bare;
        Limits = new TargetBatchLimits(options.MaxRecordsPerBatch, MaxBytes: 16 * 1024 * 1024);
    }

    public string Name { get; }

    public TargetBatchLimits Limits { get; }

    public int MeasureBytes(EventRecord record) => record.GetPayload(_format, newlineTerminated: true).Length;

    public async Task<TargetBatchResult> SendAsync(IReadOnlyList<EventRecord> batch, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var written = 0;
        try
        {
            var stream = _stream ??= Open();
            while (written < batch.Count)
            {
                // The run of lines that fits in the current file (at least one, so an oversized line still lands).
                var end = written;
                var size = stream.Length;
                var runBytes = 0L;
                while (end < batch.Count)
                {
                    var length = batch[end].GetPayload(_format, newlineTerminated: true).Length;
                    if (size + runBytes + length > _options.MaxBytes && (size + runBytes) > 0)
                    {
                        break;
                    }

                    runBytes += length;
                    end++;
                }

                for (var i = written; i < end; i++)
                {
                    await stream.WriteAsync(batch[i].GetPayload(_format, newlineTerminated: true), cancellationToken).ConfigureAwait(false);
                }

                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (_options.FlushToDisk)
                {
                    stream.Flush(flushToDisk: true);
                }

                written = end;
                if (written < batch.Count)
                {
                    stream = await RotateAsync().ConfigureAwait(false);
                }
            }

            return TargetBatchResult.Delivered(batch.Count);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Reopen next time: the stream may be broken.
            await CloseAsync().ConfigureAwait(false);
            var outcomes = new RecordOutcome[batch.Count];
            var failure = RecordOutcome.Failed(new SendError(true, e.GetType().Name, e.Message));
            Array.Fill(outcomes, failure, written, batch.Count - written);
            return TargetBatchResult.FromOutcomes(outcomes);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await CloseAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private FileStream Open()
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(_options.Path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        return new FileStream(_options.Path, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024, FileOptions.Asynchronous);
    }

    private async Task<FileStream> RotateAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        var full = Path.GetFullPath(_options.Path);
        var directory = Path.GetDirectoryName(full)!;
        var stem = Path.GetFileNameWithoutExtension(full);
        var extension = Path.GetExtension(full);
        var stamp = _timeProvider.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'.'fffffff'Z'", CultureInfo.InvariantCulture);
        // The counter keeps names unique and sorting in rotation order when the clock has not moved.
        var target = Path.Combine(directory, $"{stem}.{stamp}-0000{extension}");
        for (var n = 1; File.Exists(target); n++)
        {
            target = Path.Combine(directory, $"{stem}.{stamp}-{n:D4}{extension}");
        }

        File.Move(full, target);
        if (_options.MaxRotatedFiles is { } keep)
        {
            var rotated = RotatedFiles();
            foreach (var old in rotated.Take(Math.Max(0, rotated.Count - keep)))
            {
                File.Delete(old);
            }
        }

        return _stream = Open();
    }

    private async Task CloseAsync()
    {
        if (_stream is { } stream)
        {
            _stream = null;
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The names of the rotated files, oldest first (the timestamp in the name sorts).</summary>
    public IReadOnlyList<string> RotatedFiles()
    {
        var full = Path.GetFullPath(_options.Path);
        var directory = Path.GetDirectoryName(full)!;
        return Directory.Exists(directory)
            ? Directory.GetFiles(directory, $"{Path.GetFileNameWithoutExtension(full)}.*{Path.GetExtension(full)}")
                .Where(f => !string.Equals(f, full, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList()
            : [];
    }
}
