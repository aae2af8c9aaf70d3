namespace Personalization.Grains.Recommenders.Resilience;

/// <summary>
/// Admits at most <c>rate</c> calls per second with a burst of one second's worth, refilled continuously from
/// <see cref="TimeProvider"/> timestamps (tests drive the clock). The rate can change as silos join and leave.
/// </summary>
public sealed class TokenBucket(TimeProvider time)
{
    private readonly object _gate = new();
    private double _tokens = double.NaN;
    private double _rate;
    private long _last;

    public bool TryTake(double ratePerSecond)
    {
        var now = time.GetTimestamp();
        lock (_gate)
        {
            if (double.IsNaN(_tokens))
            {
                _tokens = Math.Max(1, ratePerSecond);
                _last = now;
            }

            var elapsed = (double)(now - _last) / time.TimestampFrequency;
            _last = now;
            _rate = ratePerSecond;
            // A share below one call per second still gets its call every so often, never none at all.
            _tokens = Math.Min(Math.Max(1, _rate), _tokens + (elapsed * _rate));
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }
}
