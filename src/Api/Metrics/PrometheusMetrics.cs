using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Personalization.Api.Metrics;

/// <summary>
/// Aggregates the project's System.Diagnostics.Metrics instruments and renders them in the Prometheus text format
/// (no OpenTelemetry exporter package is available here). Counters and up-down counters are summed, histograms keep
/// count, sum and fixed buckets, observable instruments are read at scrape time.
/// </summary>
public sealed class PrometheusMetrics : IDisposable
{
    private static readonly double[] Buckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(Instrument Instrument, TagKey Tags), Series> _series = new();
    private readonly Func<Meter, bool> _include;

    public PrometheusMetrics(Func<Meter, bool> include)
    {
        _include = include;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_include(instrument.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public string Render()
    {
        // Observable instruments report only when asked; gauges replace their previous value.
        foreach (var key in _series.Keys)
        {
            if (key.Instrument is ObservableGauge<long> or ObservableGauge<int> or ObservableGauge<double>)
            {
                _series.TryRemove(key, out _);
            }
        }

        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var group in _series.GroupBy(entry => entry.Key.Instrument).OrderBy(g => g.Key.Meter.Name).ThenBy(g => g.Key.Name))
        {
            var instrument = group.Key;
            var name = MetricName(instrument);
            var kind = Kind(instrument);
            if (instrument.Description is { Length: > 0 } description)
            {
                text.Append("# HELP ").Append(name).Append(' ').Append(description.Replace('\n', ' ')).Append('\n');
            }

            text.Append("# TYPE ").Append(name).Append(' ').Append(kind).Append('\n');
            foreach (var (labels, series) in group.Select(e => (Labels: e.Key.Tags.Render(), Series: e.Value)).OrderBy(e => e.Labels, StringComparer.Ordinal))
            {
                series.Write(text, name, labels, kind);
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // Measurements arrive on hot paths: the series is found by the tag values themselves, and the label text is
        // built only when /metrics renders.
        var series = _series.GetOrAdd((instrument, TagKey.From(tags)), static key => new Series(key.Instrument is Histogram<long> or Histogram<int> or Histogram<double>));
        series.Add(instrument, value);
    }

    /// <summary>Up to eight tags, compared by key and value without building text; more are folded into their rendered text.</summary>
    private readonly struct TagKey : IEquatable<TagKey>
    {
        private const int Inline = 8;
        private readonly TagSlots _slots;
        private readonly int _count;
        private readonly string? _overflow;

        private TagKey(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            _count = tags.Length;
            if (tags.Length > Inline)
            {
                _overflow = Labels(tags);
                return;
            }

            for (var i = 0; i < tags.Length; i++)
            {
                _slots[i] = tags[i];
            }
        }

        public static TagKey From(ReadOnlySpan<KeyValuePair<string, object?>> tags) => new(tags);

        public string Render() => _overflow ?? Labels(((ReadOnlySpan<KeyValuePair<string, object?>>)_slots)[.._count]);

        public bool Equals(TagKey other)
        {
            if (_count != other._count || !string.Equals(_overflow, other._overflow, StringComparison.Ordinal))
            {
                return false;
            }

            for (var i = 0; i < Math.Min(_count, Inline); i++)
            {
                if (!string.Equals(_slots[i].Key, other._slots[i].Key, StringComparison.Ordinal) || !Equals(_slots[i].Value, other._slots[i].Value))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => obj is TagKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            hash.Add(_count);
            hash.Add(_overflow);
            for (var i = 0; i < Math.Min(_count, Inline); i++)
            {
                hash.Add(_slots[i].Key);
                hash.Add(_slots[i].Value);
            }

            return hash.ToHashCode();
        }

        [System.Runtime.CompilerServices.InlineArray(Inline)]
        private struct TagSlots
        {
            private KeyValuePair<string, object?> _first;
        }
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return string.Empty;
        }

        var pairs = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            var value = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty;
            pairs.Add($"{Sanitize(tag.Key)}=\"{value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n")}\"");
        }

        pairs.Sort(StringComparer.Ordinal);
        return string.Join(',', pairs);
    }

    private static string Kind(Instrument instrument) => instrument switch
    {
        Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => "counter",
        Histogram<long> or Histogram<int> or Histogram<double> => "histogram",
        _ => "gauge",
    };

    private static string MetricName(Instrument instrument)
    {
        var name = Sanitize(instrument.Name);
        var unit = instrument.Unit switch
        {
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "By" => "_bytes",
            _ => string.Empty,
        };
        var suffix = Kind(instrument) == "counter" ? "_total" : string.Empty;
        return name.EndsWith(unit, StringComparison.Ordinal) ? name + suffix : name + unit + suffix;
    }

    private static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        return builder.ToString();
    }

    private sealed class Series(bool histogram)
    {
        private readonly long[]? _buckets = histogram ? new long[Buckets.Length] : null;
        private readonly object _gate = new();
        private double _sum;
        private long _count;

        public void Add(Instrument instrument, double value)
        {
            lock (_gate)
            {
                if (_buckets is not null)
                {
                    _count++;
                    _sum += value;
                    var index = Array.BinarySearch(Buckets, value);
                    for (var i = index < 0 ? ~index : index; i < _buckets.Length; i++)
                    {
                        _buckets[i]++;
                    }
                }
                else if (instrument is ObservableGauge<long> or ObservableGauge<int> or ObservableGauge<double>)
                {
                    _sum = value;
                }
                else if (instrument.IsObservable)
                {
                    // Observable counters report their running total, not a delta.
                    _sum = value;
                }
                else
                {
                    _sum += value;
                }
            }
        }

        public void Write(StringBuilder text, string name, string labels, string kind)
        {
            lock (_gate)
            {
                if (kind != "histogram" || _buckets is null)
                {
                    text.Append(name).Append(Braces(labels)).Append(' ').Append(Format(_sum)).Append('\n');
                    return;
                }

                for (var i = 0; i < Buckets.Length; i++)
                {
                    text.Append(name).Append("_bucket").Append(Braces(Join(labels, $"le=\"{Format(Buckets[i])}\""))).Append(' ').Append(_buckets[i]).Append('\n');
                }

                text.Append(name).Append("_bucket").Append(Braces(Join(labels, "le=\"+Inf\""))).Append(' ').Append(_count).Append('\n');
                text.Append(name).Append("_sum").Append(Braces(labels)).Append(' ').Append(Format(_sum)).Append('\n');
                text.Append(name).Append("_count").Append(Braces(labels)).Append(' ').Append(_count).Append('\n');
            }
        }

        private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

        private static string Braces(string labels) => labels.Length == 0 ? string.Empty : "{" + labels + "}";

        private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    }
}
