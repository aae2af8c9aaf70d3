using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;

namespace Personalization.Grains.Configuration;

/// <summary>
/// Holds the live <see cref="ConfigurationSnapshot"/>. Readers take <see cref="Current"/> (one volatile read);
/// writers go through <see cref="TryApply"/>, which validates the whole document first. An invalid document
/// never replaces a good one: it is logged and kept as <see cref="LastRejection"/>.
/// </summary>
public sealed class ConfigurationStore
{
    private readonly object _applyGate = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private volatile ConfigurationSnapshot? _current;
    private volatile ConfigurationRejection? _lastRejection;
    private volatile ConfigurationActivation? _lastActivation;
    private CancellationTokenSource _changeSource = new();

    public ConfigurationStore(TimeProvider time, ILogger<ConfigurationStore>? logger = null)
    {
        _time = time;
        _logger = logger ?? NullLogger<ConfigurationStore>.Instance;
    }

    /// <summary>Raised after a new snapshot went live (on the applying thread).</summary>
    public event Action<ConfigurationSnapshot>? Changed;

    /// <summary>The live snapshot, or null until a first valid document was applied.</summary>
    public ConfigurationSnapshot? Current => _current;

    public bool IsReady => _current is not null;

    public ConfigurationRejection? LastRejection => _lastRejection;

    public ConfigurationActivation? LastActivation => _lastActivation;

    /// <summary>A token that fires on the next change (for ChangeToken.OnChange consumers).</summary>
    public IChangeToken GetChangeToken()
    {
        lock (_applyGate)
        {
            return new CancellationChangeToken(_changeSource.Token);
        }
    }

    /// <summary>Validates and, when valid and different, publishes the document. Applies are serialized.</summary>
    public ConfigurationApplyResult TryApply(ReadOnlyMemory<byte> json, string origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ConfigurationSnapshot snapshot;
        ConfigurationParseResult parsed;
        CancellationTokenSource previousSource;
        lock (_applyGate)
        {
            var hash = ConfigurationParser.Hash(json.Span);
            if (_current is { } live && live.ContentHash == hash)
            {
                return new ConfigurationApplyResult(ConfigurationApplyStatus.Unchanged, live, [], []);
            }

            parsed = ConfigurationParser.Parse(json);
            if (parsed.Snapshot is null)
            {
                _lastRejection = new ConfigurationRejection(_time.GetUtcNow(), origin, hash, parsed.Errors);
                _logger.LogError(
                    "Configuration from {Origin} rejected with {Count} error(s); keeping version {Version}: {Errors}",
                    origin, parsed.Errors.Count, _current?.Version ?? "(none)", string.Join("; ", parsed.Errors));
                return new ConfigurationApplyResult(ConfigurationApplyStatus.Rejected, _current, parsed.Errors, parsed.Warnings);
            }

            snapshot = parsed.Snapshot;
            _current = snapshot;
            _lastActivation = new ConfigurationActivation(_time.GetUtcNow(), origin, parsed.Warnings);
            previousSource = _changeSource;
            _changeSource = new CancellationTokenSource();
        }

        foreach (var warning in parsed.Warnings)
        {
            _logger.LogWarning("Configuration from {Origin}: {Warning}", origin, warning);
        }

        _logger.LogInformation("Configuration version {Version} from {Origin} is live", snapshot.Version, origin);
        previousSource.Cancel();
        previousSource.Dispose();
        Changed?.Invoke(snapshot);
        return new ConfigurationApplyResult(ConfigurationApplyStatus.Applied, snapshot, [], parsed.Warnings);
    }

    /// <summary>Records that a source could not even produce a document (missing file, I/O error).</summary>
    public void ReportSourceFailure(string origin, string message)
    {
        _lastRejection = new ConfigurationRejection(_time.GetUtcNow(), origin, "", [new ConfigurationIssue("", message)]);
        _logger.LogError("Configuration source {Origin} failed: {Message}", origin, message);
    }
}
