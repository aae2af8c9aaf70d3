using System.Diagnostics;
using Personalization.Grains.Diagnostics;

namespace Personalization.Grains.Events;

/// <summary>
/// The group-commit queue of one (namespace, target). Requests add records and return at once; a single flusher
/// sends batches when the target's maximum is reached, when <see cref="TargetQueueOptions.FlushDelay"/> has passed
/// since the first waiting record, or as soon as possible with a zero delay. Records that fail retryably are sent
/// again, alone, after a jittered backoff; a batch that failed whole (throttling, 5xx) also pauses the target for
/// that backoff. The queue is bounded in records (queued + waiting to retry + in flight) and refuses rather than
/// drops. All waiting uses the <see cref="TimeProvider"/>. Thread-safe.
/// </summary>
public sealed class TargetQueue
{
    private static readonly RecordOutcome ShutdownTimeout = new(RecordStatus.PermanentFailure, "ShutdownTimeout", "the event was still queued when shutdown gave up draining");

    private readonly IEventTarget _target;
    private readonly TargetQueueOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly object _lock = new();
    private readonly Queue<PendingEvent> _ready = new();
    private readonly List<PendingEvent> _retries = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly ITimer _flushTimer;
    private readonly ITimer _retryTimer;
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _flusher;
    private int _wakeRequested;
    private int _admitted;
    private int _inFlight;
    private bool _flushDue;
    private volatile bool _stopping;
    private volatile bool _closed;
    private DateTimeOffset _pausedUntil;
    private TaskCompletionSource? _idle;

    public TargetQueue(string @namespace, IEventTarget target, TimeProvider timeProvider, TargetQueueOptions? options = null)
    {
        Namespace = @namespace;
        _target = target;
        _options = options ?? TargetQueueOptions.Default;
        _time = timeProvider;
        _random = _options.Random ?? new Random();
        NamespaceTag = new("namespace", @namespace);
        TargetTag = new("target", target.Name);
        _flushTimer = timeProvider.CreateTimer(static s => ((TargetQueue)s!).OnFlushDelayElapsed(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _retryTimer = timeProvider.CreateTimer(static s => ((TargetQueue)s!).Wake(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        EventMetrics.Register(this);
        _flusher = Task.Run(RunAsync);
    }

    public string Namespace { get; }

    public string TargetName => _target.Name;

    public IEventTarget Target => _target;

    /// <summary>Records held: queued, waiting to retry, in flight, or reserved by an admission in progress.</summary>
    public int Depth => Volatile.Read(ref _admitted);

    public int Capacity => _options.Capacity;

    /// <summary>This target's <c>mode</c> when it overrides the namespace's.</summary>
    public DeliveryMode? Mode => _options.Mode;

    internal KeyValuePair<string, object?> NamespaceTag { get; }

    internal KeyValuePair<string, object?> TargetTag { get; }

    /// <summary>Queues every event of <paramref name="submission"/> here, or none (see <see cref="EventFanOut"/> for several targets).</summary>
    public AdmissionStatus TryEnqueue(EventSubmission submission)
    {
        var status = TryReserve(submission.Count);
        if (status == AdmissionStatus.Accepted)
        {
            EnqueueReserved(submission, null, 0);
        }

        return status;
    }

    /// <summary>How long a refused client should wait: the configured minimum, or the target's remaining backoff.</summary>
    public TimeSpan RetryAfter
    {
        get
        {
            DateTimeOffset pausedUntil;
            lock (_lock)
            {
                pausedUntil = _pausedUntil;
            }

            var backoff = pausedUntil - _time.GetUtcNow();
            return backoff > _options.RejectRetryAfter ? backoff : _options.RejectRetryAfter;
        }
    }

    /// <summary>Holds room for <paramref name="count"/> records, all or nothing.</summary>
    internal AdmissionStatus TryReserve(int count)
    {
        while (true)
        {
            if (_stopping)
            {
                return AdmissionStatus.ShuttingDown;
            }

            var admitted = Volatile.Read(ref _admitted);
            if (admitted + count > _options.Capacity)
            {
                return AdmissionStatus.QueueFull;
            }

            if (Interlocked.CompareExchange(ref _admitted, admitted + count, admitted) == admitted)
            {
                return AdmissionStatus.Accepted;
            }
        }
    }

    internal void CancelReservation(int count) => Release(count);

    internal void EnqueueReserved(EventSubmission submission, DeliveryTicket? ticket, int slot)
    {
        var count = submission.Count;
        if (count == 0)
        {
            return;
        }

        bool armTimer, wake;
        var acceptedAt = _time.GetUtcNow();
        lock (_lock)
        {
            var wasEmpty = _ready.Count == 0;
            for (var i = 0; i < count; i++)
            {
                _ready.Enqueue(new PendingEvent(new EventRecord(submission, i), ticket, slot, acceptedAt));
            }

            var immediate = _options.FlushDelay <= TimeSpan.Zero || _stopping || _ready.Count >= _target.Limits.MaxRecords;
            wake = immediate;
            armTimer = !immediate && wasEmpty;
        }

        EventMetrics.Accepted.Add(count, NamespaceTag, TargetTag);

        // Armed here, on the enqueuing thread, so a test's clock advance right after the enqueue always finds it.
        if (armTimer)
        {
            _flushTimer.Change(_options.FlushDelay, Timeout.InfiniteTimeSpan);
        }

        if (wake)
        {
            Wake();
        }
    }

    /// <summary>
    /// Completes when nothing can be sent without time passing or new records arriving, and no send is in flight.
    /// For tests and shutdown: after it, advancing a manual clock past a backoff or flush delay is safe.
    /// </summary>
    public Task WhenIdleAsync()
    {
        Task task;
        lock (_lock)
        {
            task = (_idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }

        Wake();
        return task;
    }

    /// <summary>
    /// Refuses new records, sends everything held (partial batches at once; retries still back off), and waits until
    /// empty or <paramref name="timeout"/>. What is left then is failed with <c>ShutdownTimeout</c> and reported.
    /// </summary>
    public async Task<DrainReport> StopAsync(TimeSpan timeout)
    {
        _stopping = true;
        Wake();
        if (Volatile.Read(ref _admitted) == 0)
        {
            _drained.TrySetResult();
        }

        var drained = await Task.WhenAny(_drained.Task, Task.Delay(timeout, _time)).ConfigureAwait(false) == _drained.Task;
        List<EventRecord> left = [];
        if (!drained)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            await WhenIdleAsync().ConfigureAwait(false);
            List<PendingEvent> abandoned;
            lock (_lock)
            {
                abandoned = [.. _ready, .. _retries];
                _ready.Clear();
                _retries.Clear();
            }

            foreach (var pending in abandoned)
            {
                left.Add(pending.Record);
            }

            Finish(abandoned, ShutdownTimeout);
        }

        _closed = true;
        Wake();
        await _flusher.ConfigureAwait(false);
        await _flushTimer.DisposeAsync().ConfigureAwait(false);
        await _retryTimer.DisposeAsync().ConfigureAwait(false);
        EventMetrics.Unregister(this);
        return new DrainReport(Namespace, TargetName, drained, left);
    }

    private void OnFlushDelayElapsed()
    {
        lock (_lock)
        {
            _flushDue = true;
        }

        Wake();
    }

    private void Wake()
    {
        if (Interlocked.Exchange(ref _wakeRequested, 1) == 0)
        {
            _wake.Release();
        }
    }

    private async Task RunAsync()
    {
        while (!_closed)
        {
            await _wake.WaitAsync().ConfigureAwait(false);
            Interlocked.Exchange(ref _wakeRequested, 0);
            var idle = false;
            while (true)
            {
                // Read before TakeBatch: with nothing in flight then, every settled retry is visible to it.
                var inFlight = Volatile.Read(ref _inFlight);
                if (inFlight >= _target.Limits.MaxConcurrentBatches)
                {
                    break;
                }

                if (TakeBatch() is not { } batch)
                {
                    idle = inFlight == 0;
                    break;
                }

                Interlocked.Increment(ref _inFlight);
                _ = SendAsync(batch);
            }

            if (idle)
            {
                TaskCompletionSource? waiter;
                lock (_lock)
                {
                    waiter = _idle;
                    _idle = null;
                }

                waiter?.TrySetResult();
            }
        }
    }

    /// <summary>The next batch to send now, or null (arming the retry timer when records wait on a backoff).</summary>
    private List<PendingEvent>? TakeBatch()
    {
        if (_abort.IsCancellationRequested)
        {
            return null;
        }

        var limits = _target.Limits;
        var now = _time.GetUtcNow();
        List<PendingEvent> batch;
        lock (_lock)
        {
            if (now < _pausedUntil)
            {
                _retryTimer.Change(_pausedUntil - now, Timeout.InfiniteTimeSpan);
                return null;
            }

            var dueRetries = 0;
            var nextDue = DateTimeOffset.MaxValue;
            foreach (var retry in _retries)
            {
                if (retry.DueAt <= now)
                {
                    dueRetries++;
                }
                else if (retry.DueAt < nextDue)
                {
                    nextDue = retry.DueAt;
                }
            }

            if (nextDue != DateTimeOffset.MaxValue)
            {
                _retryTimer.Change(nextDue - now, Timeout.InfiniteTimeSpan);
            }

            var ready = dueRetries + _ready.Count;
            var sendPartial = _flushDue || _stopping || dueRetries > 0 || _options.FlushDelay <= TimeSpan.Zero;
            if (ready == 0 || (ready < limits.MaxRecords && !sendPartial))
            {
                return null;
            }

            batch = new List<PendingEvent>(Math.Min(ready, limits.MaxRecords));
            if (dueRetries > 0)
            {
                // Oldest due first; the rest keep their place.
                _retries.Sort(static (a, b) => a.DueAt.CompareTo(b.DueAt));
                var take = Math.Min(dueRetries, limits.MaxRecords);
                batch.AddRange(_retries.GetRange(0, take));
                _retries.RemoveRange(0, take);
            }

            while (batch.Count < limits.MaxRecords && _ready.TryDequeue(out var pending))
            {
                batch.Add(pending);
            }

            if (_ready.Count == 0)
            {
                _flushDue = false;
            }
        }

        return FitBytes(batch, limits);
    }

    /// <summary>Cuts the batch at the target's byte limit (the rest go back first in line); fails records too big to send.</summary>
    private List<PendingEvent>? FitBytes(List<PendingEvent> batch, TargetBatchLimits limits)
    {
        if (limits.MaxBytes == long.MaxValue && limits.MaxRecordBytes == int.MaxValue)
        {
            return batch;
        }

        long bytes = 0;
        List<PendingEvent>? oversized = null;
        var kept = 0;
        var cut = batch.Count;
        for (var i = 0; i < batch.Count; i++)
        {
            var size = _target.MeasureBytes(batch[i].Record);
            if (size > limits.MaxRecordBytes)
            {
                (oversized ??= []).Add(batch[i]);
                continue;
            }

            if (bytes + size > limits.MaxBytes)
            {
                cut = i;
                break;
            }

            bytes += size;
            batch[kept++] = batch[i];
        }

        if (cut < batch.Count)
        {
            lock (_lock)
            {
                for (var i = cut; i < batch.Count; i++)
                {
                    var pending = batch[i];
                    pending.DueAt = DateTimeOffset.MinValue;
                    _retries.Add(pending);
                }
            }

            Wake();
        }

        batch.RemoveRange(kept, batch.Count - kept);
        if (oversized is not null)
        {
            Finish(oversized, new RecordOutcome(RecordStatus.PermanentFailure, "RecordTooLarge", $"the event is larger than the {limits.MaxRecordBytes} bytes {_target.Name} takes per record"));

            // The batch may now be empty while more records wait: look again.
            Wake();
        }

        return batch.Count > 0 ? batch : null;
    }

    private async Task SendAsync(List<PendingEvent> batch)
    {
        try
        {
            var records = new EventRecord[batch.Count];
            for (var i = 0; i < records.Length; i++)
            {
                records[i] = batch[i].Record;
            }

            TargetBatchResult result;
            using var span = StartSendSpan(batch);
            try
            {
                result = await _target.SendAsync(records, _abort.Token).ConfigureAwait(false);
                if (result.Count != records.Length)
                {
                    result = TargetBatchResult.Failed(records.Length, new SendError(true, "InvalidResult", $"{result.Count} outcomes for {records.Length} records"));
                }
            }
            catch (Exception e) when (!_abort.IsCancellationRequested)
            {
                span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
                result = TargetBatchResult.Failed(records.Length, new SendError(true, e.GetType().Name, e.Message));
            }
            catch (Exception)
            {
                // Shutdown gave up on this send: the records go back, to be reported as left over.
                Requeue(batch);
                return;
            }

            Settle(batch, result);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            Wake();
        }
    }

    private void Settle(List<PendingEvent> batch, TargetBatchResult result)
    {
        var now = _time.GetUtcNow();
        var delivered = 0;
        var retried = 0;
        var retryable = 0;
        var maxAttempts = 0;
        List<(PendingEvent Pending, RecordOutcome Outcome)>? failed = null;
        lock (_lock)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var pending = batch[i];
                var outcome = result[i];
                if (outcome.Status == RecordStatus.RetryableFailure)
                {
                    retryable++;
                    pending.Attempts++;
                    if (pending.Attempts < _options.Retry.MaxAttempts)
                    {
                        pending.DueAt = now + _options.Retry.DelayAfter(pending.Attempts, _random);
                        maxAttempts = Math.Max(maxAttempts, pending.Attempts);
                        _retries.Add(pending);
                        retried++;
                        continue;
                    }

                    outcome = outcome with { Status = RecordStatus.PermanentFailure, ErrorMessage = $"{outcome.ErrorMessage} (gave up after {pending.Attempts} attempts)" };
                }

                if (outcome.Status == RecordStatus.Delivered)
                {
                    delivered++;
                }
                else
                {
                    (failed ??= []).Add((pending, outcome));
                }
            }

            // The whole batch bounced (throttling, an outage): hold every send, not just these records.
            if (retryable == batch.Count && retried > 0)
            {
                var pause = now + _options.Retry.DelayAfter(maxAttempts, _random);
                _pausedUntil = pause > _pausedUntil ? pause : _pausedUntil;
            }
        }

        // Tickets and callbacks are told outside the lock.
        if (delivered > 0)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                if (result[i].Status == RecordStatus.Delivered)
                {
                    batch[i].Ticket?.Report(batch[i].Slot, RecordOutcome.Delivered);
                    EventMetrics.DeliveryLag.Record((now - batch[i].AcceptedAt).TotalSeconds, NamespaceTag, TargetTag);
                }
            }

            EventMetrics.Delivered.Add(delivered, NamespaceTag, TargetTag);
        }

        if (retried > 0)
        {
            EventMetrics.Retried.Add(retried, NamespaceTag, TargetTag);
        }

        if (failed is not null)
        {
            foreach (var (pending, outcome) in failed)
            {
                FinishOne(pending, outcome);
            }
        }

        Release(delivered + (failed?.Count ?? 0));
    }

    /// <summary>
    /// A span for one batch (only while a tracer listens): a child of the submitting request when the whole batch comes
    /// from one request, else a root span linked to each request it carries.
    /// </summary>
    private Activity? StartSendSpan(List<PendingEvent> batch)
    {
        if (!PersonalizationTracing.Source.HasListeners())
        {
            return null;
        }

        var contexts = new List<ActivityContext>();
        foreach (var pending in batch)
        {
            var context = pending.Record.Submission.TraceContext;
            if (context != default && !contexts.Contains(context) && contexts.Count < 32)
            {
                contexts.Add(context);
            }
        }

        var span = contexts.Count == 1
            ? PersonalizationTracing.Source.StartActivity("event target send", ActivityKind.Producer, contexts[0])
            : PersonalizationTracing.Source.StartActivity("event target send", ActivityKind.Producer, default(ActivityContext), links: contexts.Select(c => new ActivityLink(c)));
        span?.SetTag("personalization.event_target", _target.Name);
        span?.SetTag("personalization.records", batch.Count);
        return span;
    }

    private void Requeue(List<PendingEvent> batch)
    {
        lock (_lock)
        {
            _retries.AddRange(batch);
        }
    }

    private void Finish(List<PendingEvent> records, RecordOutcome outcome)
    {
        foreach (var pending in records)
        {
            FinishOne(pending, outcome);
        }

        Release(records.Count);
    }

    private void FinishOne(in PendingEvent pending, in RecordOutcome outcome)
    {
        pending.Ticket?.Report(pending.Slot, outcome);
        EventMetrics.Failed.Add(1, NamespaceTag, TargetTag);
        _options.OnFailed?.Invoke(pending.Record, outcome);
    }

    private void Release(int count)
    {
        if (count > 0 && Interlocked.Add(ref _admitted, -count) == 0 && _stopping)
        {
            _drained.TrySetResult();
        }
    }
}
