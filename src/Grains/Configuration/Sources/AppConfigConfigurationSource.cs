using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Personalization.Aws.AppConfigData;
using Personalization.Aws.Errors;

namespace Personalization.Grains.Configuration;

/// <summary>
/// Follows an AWS AppConfig profile: one configuration session, polled with GetLatestConfiguration at the interval
/// the service returns (on <see cref="TimeProvider"/> timers). Each new non-empty document goes through
/// <see cref="ConfigurationStore.TryApply"/>, so an invalid version is rejected and the last good one stays live.
/// Failures are reported to the store and retried with exponential backoff; a token the service no longer accepts
/// (BadRequest / ResourceNotFound) starts a new session.
/// </summary>
public sealed class AppConfigConfigurationSource : IConfigurationDocumentSource, IHostedService, IAsyncDisposable
{
    private readonly AppConfigSourceOptions _options;
    private readonly IAppConfigDataClient _client;
    private readonly ConfigurationStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _pollGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private string? _token;
    private int _consecutiveFailures;
    private ReadOnlyMemory<byte> _lastDocument;
    private ITimer? _timer;
    private Task _lastPoll = Task.CompletedTask;

    public AppConfigConfigurationSource(
        IOptions<AppConfigSourceOptions> options,
        IAppConfigDataClient client,
        ConfigurationStore store,
        TimeProvider time,
        ILogger<AppConfigConfigurationSource>? logger = null)
    {
        _options = options.Value;
        _options.Validate();
        _client = client;
        _store = store;
        _time = time;
        _logger = logger ?? NullLogger<AppConfigConfigurationSource>.Instance;
        Origin = $"appconfig:{_options.Application}/{_options.Environment}/{_options.Profile}";
    }

    public string Origin { get; }

    /// <summary>The poll started most recently by the timer (tests await it).</summary>
    internal Task LastPoll => Volatile.Read(ref _lastPoll);

    /// <summary>When the next poll is due, as decided by the last one.</summary>
    public TimeSpan NextPollDelay { get; private set; }

    /// <summary>The document the service sent last (valid or not); polls once if none arrived yet.</summary>
    public async Task<ReadOnlyMemory<byte>> ReadAsync(CancellationToken cancellationToken)
    {
        if (_lastDocument.IsEmpty)
        {
            await PollAsync(cancellationToken).ConfigureAwait(false);
        }

        return _lastDocument;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await PollAsync(cancellationToken).ConfigureAwait(false);
        _timer = _time.CreateTimer(_ => StartPoll(), null, NextPollDelay, Timeout.InfiniteTimeSpan);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _timer?.Dispose();
        try
        {
            await LastPoll.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: an interrupted poll leaves the previous snapshot live.
        }
    }

    /// <summary>
    /// Polls once: starts a session if needed, fetches, applies a new document. Returns the store's verdict when a
    /// document arrived, null when unchanged or failed. Sets <see cref="NextPollDelay"/>.
    /// </summary>
    public async Task<ConfigurationApplyResult?> PollAsync(CancellationToken cancellationToken)
    {
        await _pollGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _token ??= await StartSessionAsync(cancellationToken).ConfigureAwait(false);
            var response = await _client.GetLatestConfigurationAsync(new GetLatestConfigurationRequest { ConfigurationToken = _token }, cancellationToken).ConfigureAwait(false);
            _token = string.IsNullOrEmpty(response.NextPollConfigurationToken) ? null : response.NextPollConfigurationToken;
            _consecutiveFailures = 0;
            NextPollDelay = response.NextPollIntervalInSeconds > 0 ? TimeSpan.FromSeconds(response.NextPollIntervalInSeconds) : _options.DefaultPollInterval;
            if (response.Configuration.IsEmpty)
            {
                return null;
            }

            _lastDocument = response.Configuration;
            var origin = response.VersionLabel is { Length: > 0 } label ? $"{Origin}@{label}" : Origin;
            return _store.TryApply(response.Configuration, origin);
        }
        catch (AwsServiceException exception) when (!cancellationToken.IsCancellationRequested)
        {
            if (exception is AwsValidationException or AwsResourceNotFoundException)
            {
                // The token expired or was already used, or the profile is gone: the next attempt starts over.
                _token = null;
            }

            _consecutiveFailures++;
            NextPollDelay = Backoff(_consecutiveFailures);
            _store.ReportSourceFailure(Origin, $"AppConfig {exception.Operation} failed ({exception.ErrorCode}): {exception.Message}; retrying in {NextPollDelay.TotalSeconds:0} s");
            return null;
        }
        finally
        {
            _pollGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        _timer?.Dispose();
        _stopping.Dispose();
    }

    private async Task<string> StartSessionAsync(CancellationToken cancellationToken)
    {
        var session = await _client.StartConfigurationSessionAsync(
            new StartConfigurationSessionRequest
            {
                ApplicationIdentifier = _options.Application,
                EnvironmentIdentifier = _options.Environment,
                ConfigurationProfileIdentifier = _options.Profile,
                RequiredMinimumPollIntervalInSeconds = _options.RequiredMinimumPollIntervalInSeconds,
            },
            cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Started an AppConfig configuration session for {Origin}", Origin);
        return session.InitialConfigurationToken is { Length: > 0 } token
            ? token
            : throw new AwsServiceException("StartConfigurationSession returned no token.", "MissingToken", null, null, "appconfigdata", "StartConfigurationSession");
    }

    private TimeSpan Backoff(int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures - 1, 20));
        var delay = TimeSpan.FromTicks((long)Math.Min(_options.RetryDelay.Ticks * factor, _options.MaxRetryDelay.Ticks));
        return delay;
    }

    private void StartPoll()
    {
        if (!_stopping.IsCancellationRequested)
        {
            Volatile.Write(ref _lastPoll, PollInBackgroundAsync());
        }
    }

    private async Task PollInBackgroundAsync()
    {
        try
        {
            await PollAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception exception)
        {
            // Not an AWS error (e.g. a bug or an I/O failure below the client): keep polling rather than go silent.
            _consecutiveFailures++;
            NextPollDelay = Backoff(_consecutiveFailures);
            _logger.LogError(exception, "Polling {Origin} failed", Origin);
        }

        if (!_stopping.IsCancellationRequested)
        {
            _timer?.Change(NextPollDelay, Timeout.InfiniteTimeSpan);
        }
    }
}
