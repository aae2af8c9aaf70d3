using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Personalization.Grains.Configuration;

/// <summary>
/// Loads the configuration file into the <see cref="ConfigurationStore"/> at start, then reloads it when a
/// FileSystemWatcher reports a change (debounced) and on a polling interval as a fallback. Identical content
/// is skipped by hash; an invalid document is rejected by the store and the last good one stays live.
/// </summary>
public sealed class FileConfigurationSource : IConfigurationDocumentSource, IHostedService, IAsyncDisposable
{
    private readonly FileConfigurationSourceOptions _options;
    private readonly ConfigurationStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _fullPath;
    private FileSystemWatcher? _watcher;
    private ITimer? _pollTimer;
    private ITimer? _debounceTimer;
    private string? _lastSeenHash;
    private Task _lastReload = Task.CompletedTask;

    public FileConfigurationSource(
        IOptions<FileConfigurationSourceOptions> options,
        ConfigurationStore store,
        TimeProvider time,
        ILogger<FileConfigurationSource>? logger = null)
    {
        _options = options.Value;
        if (string.IsNullOrWhiteSpace(_options.Path))
        {
            throw new ArgumentException("FileConfigurationSourceOptions.Path is required", nameof(options));
        }

        _store = store;
        _time = time;
        _logger = logger ?? NullLogger<FileConfigurationSource>.Instance;
        _fullPath = System.IO.Path.GetFullPath(_options.Path);
        Origin = "file:" + _fullPath;
    }

    public string Origin { get; }

    /// <summary>The reload started most recently by the watcher or the poll timer (tests await it).</summary>
    internal Task LastReload => Volatile.Read(ref _lastReload);

    public async Task<ReadOnlyMemory<byte>> ReadAsync(CancellationToken cancellationToken) =>
        await File.ReadAllBytesAsync(_fullPath, cancellationToken).ConfigureAwait(false);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken).ConfigureAwait(false);

        if (_options.UseFileSystemWatcher)
        {
            StartWatcher();
        }

        if (_options.PollInterval > TimeSpan.Zero)
        {
            _pollTimer = _time.CreateTimer(_ => StartReload(), null, _options.PollInterval, _options.PollInterval);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        StopTriggers();
        try
        {
            await LastReload.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: an interrupted reload leaves the previous snapshot live, which is what we want.
        }
    }

    /// <summary>Re-reads the file now and applies it if its content changed since the last read.</summary>
    public async Task<ConfigurationApplyResult?> ReloadAsync(CancellationToken cancellationToken)
    {
        await _reloadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ReadOnlyMemory<byte> bytes;
            try
            {
                bytes = await ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _store.ReportSourceFailure(Origin, $"cannot read the configuration file: {e.Message}");
                _lastSeenHash = null;
                return null;
            }

            var hash = ConfigurationParser.Hash(bytes.Span);
            if (hash == _lastSeenHash)
            {
                return null;
            }

            _lastSeenHash = hash;
            return _store.TryApply(bytes, Origin);
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        StopTriggers();
        _stopping.Dispose();
    }

    private void StartWatcher()
    {
        var directory = System.IO.Path.GetDirectoryName(_fullPath)!;
        if (!Directory.Exists(directory))
        {
            _logger.LogWarning("Not watching {Path}: its folder does not exist; relying on polling", _fullPath);
            return;
        }

        _debounceTimer = _time.CreateTimer(_ => StartReload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _watcher = new FileSystemWatcher(directory, System.IO.Path.GetFileName(_fullPath))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => Debounce();
        _watcher.Created += (_, _) => Debounce();
        _watcher.Renamed += (_, _) => Debounce();
        _watcher.Error += (_, e) => _logger.LogWarning(e.GetException(), "File watcher for {Path} failed; relying on polling", _fullPath);
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Raised when a watcher event (re)armed the debounce timer; lets tests sync with the OS watcher thread.</summary>
    internal event Action? ReloadScheduled;

    private void Debounce()
    {
        _debounceTimer?.Change(_options.DebounceDelay, Timeout.InfiniteTimeSpan);
        ReloadScheduled?.Invoke();
    }

    private void StartReload()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        Volatile.Write(ref _lastReload, ReloadInBackgroundAsync());
    }

    private async Task ReloadInBackgroundAsync()
    {
        try
        {
            await ReloadAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception e)
        {
            // A timer callback has nobody to report to; the store already keeps parse rejections.
            _logger.LogError(e, "Reloading {Path} failed", _fullPath);
        }
    }

    private void StopTriggers()
    {
        _watcher?.Dispose();
        _watcher = null;
        _pollTimer?.Dispose();
        _pollTimer = null;
        _debounceTimer?.Dispose();
        _debounceTimer = null;
    }
}
