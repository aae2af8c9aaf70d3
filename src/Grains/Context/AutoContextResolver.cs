using System.Globalization;

namespace Personalization.Grains.Context;

/// <summary>
/// Evaluates automatic context rules against request headers and the clock. Unlike the original, hour and
/// weekday are taken in the viewer's zone (cloudfront-viewer-time-zone, else the configured default), the
/// latitude header is parsed as a number, a mapped value of 0 is a match, and header names are case-insensitive.
/// </summary>
public sealed class AutoContextResolver
{
    private readonly AutoContextOptions _options;
    private readonly TimeProvider _time;
    private readonly TimeZoneInfo _defaultZone;

    public AutoContextResolver(AutoContextOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _defaultZone = TimeZones.Find(options.DefaultTimeZone)
            ?? throw new ArgumentException($"unknown time zone '{options.DefaultTimeZone}'", nameof(options));
    }

    public ResolvedContext Resolve(AutoContextConfig? config, IRequestHeaders headers) =>
        Resolve(config, headers, _time.GetUtcNow());

    public ResolvedContext Resolve(AutoContextConfig? config, IRequestHeaders headers, DateTimeOffset now)
    {
        if (config is null || config.IsEmpty)
        {
            return ResolvedContext.Empty;
        }

        var viewer = new ViewerHeaders(headers, _options);
        var clock = new ViewerClock(viewer, now, _defaultZone);
        var fields = new List<ResolvedField>(config.Fields.Count);
        foreach (var field in config.Fields)
        {
            var values = ResolveField(field, viewer, ref clock);
            if (values is not null)
            {
                fields.Add(new ResolvedField(field.Name, field.Type, values));
            }
        }

        return fields.Count == 0 ? ResolvedContext.Empty : new ResolvedContext(fields);
    }

    private static List<string>? ResolveField(AutoContextField field, IRequestHeaders headers, ref ViewerClock clock)
    {
        List<string>? values = null;
        foreach (var rule in field.Rules)
        {
            var input = rule.Type switch
            {
                AutoContextRuleType.HeaderValue => headers.Get(rule.Header!) is { } header ? ContextValue.FromString(header) : (ContextValue?)null,
                AutoContextRuleType.HourOfDay => ContextValue.FromInt(clock.Local.Hour),
                AutoContextRuleType.DayOfWeek => ContextValue.FromInt(((int)clock.Local.DayOfWeek + 6) % 7),
                _ => ContextValue.FromInt(Season.Of(clock.Local, clock.Latitude)),
            };

            if (input is null || Map(rule, input.Value) is not { } mapped || Convert(mapped, field.Type) is not { } value)
            {
                continue;
            }

            values ??= [];
            if (!values.Contains(value))
            {
                values.Add(value);
            }

            if (!field.EvaluateAll)
            {
                break;
            }
        }

        if (values is null && field.Default is { } fallback && Convert(fallback, field.Type) is { } defaultValue)
        {
            values = [defaultValue];
        }

        return values;
    }

    private static ContextValue? Map(AutoContextRule rule, ContextValue input)
    {
        if (rule.ValueMappings.Count == 0)
        {
            return input;
        }

        foreach (var mapping in rule.ValueMappings)
        {
            if (Matches(mapping.Operator, input, mapping.Value))
            {
                return mapping.MapTo;
            }
        }

        return null;
    }

    internal static bool Matches(MappingOperator op, ContextValue input, ContextValue operand)
    {
        var numeric = input.Number is { } a && operand.Number is { } b ? a.CompareTo(b) : (int?)null;
        return op switch
        {
            MappingOperator.Equals => numeric is { } n ? n == 0 : string.Equals(input.Text, operand.Text, StringComparison.Ordinal),
            MappingOperator.LessThan => (numeric ?? string.CompareOrdinal(input.Text, operand.Text)) < 0,
            MappingOperator.GreaterThan => (numeric ?? string.CompareOrdinal(input.Text, operand.Text)) > 0,
            MappingOperator.Contains => input.Text.Contains(operand.Text, StringComparison.Ordinal),
            MappingOperator.StartsWith => input.Text.StartsWith(operand.Text, StringComparison.Ordinal),
            _ => input.Text.EndsWith(operand.Text, StringComparison.Ordinal),
        };
    }

    /// <summary>The value in the field's declared type; null when it cannot be represented (treated as no match).</summary>
    internal static string? Convert(ContextValue value, AutoContextFieldType type)
    {
        const double TwoToThe63 = 9223372036854775808d;
        switch (type)
        {
            case AutoContextFieldType.String:
                return value.Text;
            case AutoContextFieldType.Float:
                return value.Number is { } f && double.IsFinite(f) ? f.ToString("R", CultureInfo.InvariantCulture) : null;
            default:
                // long.MaxValue as a double is 2^63, one past the range: the bound is exclusive.
                if (value.Number is not { } n || n != Math.Floor(n) || n < long.MinValue || n >= TwoToThe63)
                {
                    return null;
                }

                if (type == AutoContextFieldType.Integer && (n < int.MinValue || n > int.MaxValue))
                {
                    return null;
                }

                return ((long)n).ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Viewer-local time and latitude, computed only if a time rule asks.</summary>
    private struct ViewerClock(IRequestHeaders headers, DateTimeOffset now, TimeZoneInfo defaultZone)
    {
        private DateTime? _local;
        private bool _latitudeRead;
        private double? _latitude;

        public DateTime Local => _local ??= TimeZoneInfo.ConvertTime(now, TimeZones.Find(headers.Get(CloudFrontHeaders.TimeZone)) ?? defaultZone).DateTime;

        public double? Latitude
        {
            get
            {
                if (!_latitudeRead)
                {
                    _latitudeRead = true;
                    _latitude = double.TryParse(headers.Get(CloudFrontHeaders.Latitude), NumberStyles.Float, CultureInfo.InvariantCulture, out var lat) ? lat : null;
                }

                return _latitude;
            }
        }
    }
}
