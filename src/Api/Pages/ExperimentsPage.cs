using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Personalization.Grains.Configuration;
using Personalization.Grains.Experiments;

namespace Personalization.Api.Pages;

/// <summary>
/// The HTML of <c>/experiments/{namespace}</c>: every experiment of the namespace, one table per metric rendering the
/// same <see cref="ExperimentReport"/> the JSON endpoint returns (no statistics of its own), intervals drawn as inline
/// SVG computed here. No script, no external resource (the Content-Security-Policy forbids both). Every text from
/// configuration or storage is HTML-encoded. Each number sits in a <c>&lt;data value&gt;</c> element whose value is the
/// report's number in round-trip form, beside its human-readable text.
/// </summary>
internal static class ExperimentsPage
{
    private const string ContentType = "text/html; charset=utf-8";

    // Geometry of one interval bar (px): width, height, horizontal padding.
    private const double BarWidth = 180;
    private const double BarHeight = 22;
    private const double BarPadding = 6;

    /// <summary>Axis ends to choose from: the smallest one at or above every configured arm's upper bound.</summary>
    private static readonly double[] AxisMaxima = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1];

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    /// <summary>One experiment of the page: where it is configured and its report per metric (config order).</summary>
    public sealed record Section(ResolvedRecommender Recommender, ExperimentDefinition Experiment, IReadOnlyList<ExperimentReport> Reports);

    /// <summary>The namespace's experiments in configuration order, each feature once: the recommender <see cref="ExperimentRegistry.Find"/> resolves it to.</summary>
    public static IEnumerable<(ResolvedRecommender Recommender, ExperimentDefinition Experiment)> ExperimentsOf(ResolvedNamespace ns)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var recommender in ns.Recommenders)
        {
            foreach (var experiment in recommender.Experiments.Values.Where(experiment => seen.Add(experiment.Feature)))
            {
                yield return (recommender, experiment);
            }
        }
    }

    /// <summary>Headers of every answer of the page, the 404 included: no script or outside resource may load, nothing is cached.</summary>
    public static void ApplyHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }

    public static IResult NotFound(string message)
    {
        var html = new StringBuilder();
        Head(html, "Not found");
        html.Append("<main><h1>Not found</h1><p class=\"error\">").Append(E(message)).Append("</p></main></body></html>\n");
        return TypedResults.Content(html.ToString(), ContentType, Encoding.UTF8, StatusCodes.Status404NotFound);
    }

    public static IResult Render(ConfigurationSnapshot snapshot, ResolvedNamespace ns, IReadOnlyList<Section> sections, DateTimeOffset now)
    {
        var html = new StringBuilder(16 * 1024);
        Head(html, "Experiments · " + ns.Key);
        html.Append("<header><h1>Experiments in <span class=\"ns\">").Append(E(ns.Key)).Append("</span></h1><p class=\"sub\">");
        if (ns.Name is { } name)
        {
            html.Append(E(name)).Append(" · ");
        }

        html.Append("configuration ").Append(E(snapshot.Version ?? "unversioned"))
            .Append(" · as of <time datetime=\"").Append(E(now.ToString("O", CultureInfo.InvariantCulture))).Append("\">")
            .Append(E(now.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture))).Append("</time>")
            .Append(" · rates are converted users / exposed users with 95% Wilson intervals; lift and p-value (two-sided pooled z-test) against each experiment's control</p></header>\n<main>\n");
        if (sections.Count == 0)
        {
            html.Append("<p class=\"empty\">No recommender of namespace <code>").Append(E(ns.Key)).Append("</code> has an experiment.</p>\n");
        }
        else if (sections.Count > 1)
        {
            html.Append("<nav><ul>");
            foreach (var section in sections)
            {
                html.Append("<li><a href=\"#").Append(E(Anchor(section.Experiment.Feature))).Append("\">").Append(E(section.Experiment.Feature)).Append("</a></li>");
            }

            html.Append("</ul></nav>\n");
        }

        foreach (var section in sections)
        {
            Experiment(html, ns, section, now);
        }

        html.Append("</main>\n</body>\n</html>\n");
        return TypedResults.Content(html.ToString(), ContentType, Encoding.UTF8, StatusCodes.Status200OK);
    }

    private static void Experiment(StringBuilder html, ResolvedNamespace ns, Section section, DateTimeOffset now)
    {
        var experiment = section.Experiment;
        html.Append("<section class=\"experiment\" id=\"").Append(E(Anchor(experiment.Feature))).Append("\" data-feature=\"").Append(E(experiment.Feature)).Append("\">\n")
            .Append("<h2>").Append(E(experiment.Feature)).Append("</h2>\n<p class=\"meta\">")
            .Append(E(section.Recommender.Action.ToWireName())).Append(" <code>").Append(E(section.Recommender.Name)).Append("</code>")
            .Append(" · method ").Append(E(experiment.MethodName))
            .Append(" · control <strong>").Append(E(experiment.Control)).Append("</strong>")
            .Append(" · ").Append(E(Status(experiment, now)));
        if (experiment.Holdout > 0)
        {
            html.Append(" · holdout ").Append(E(ReportFormat.Number(experiment.Holdout * 100))).Append("% of users (served the control, not counted)");
        }

        if (experiment.Layer is { } layer)
        {
            html.Append(" · layer <code>").Append(E(layer)).Append("</code> (weight ").Append(E(ReportFormat.Number(experiment.LayerWeight))).Append(')');
        }

        html.Append("</p>\n");
        foreach (var report in section.Reports)
        {
            Metric(html, ns, report);
        }

        html.Append("</section>\n");
    }

    private static void Metric(StringBuilder html, ResolvedNamespace ns, ExperimentReport report)
    {
        var json = $"/experiments/{Uri.EscapeDataString(ns.Key)}/{Uri.EscapeDataString(report.Feature)}?metric={Uri.EscapeDataString(report.Metric)}";
        var axis = AxisMax(report.Arms);
        var control = report.Arms.FirstOrDefault(arm => arm.IsControl);
        html.Append("<div class=\"metric\" data-metric=\"").Append(E(report.Metric)).Append("\">\n")
            .Append("<h3>Metric <q>").Append(E(report.Metric)).Append("</q> <a class=\"json\" href=\"").Append(E(json)).Append("\">JSON</a></h3>\n")
            .Append("<p class=\"verdict ").Append(E(Outcome(report.Verdict.Outcome))).Append("\" data-outcome=\"").Append(E(Outcome(report.Verdict.Outcome))).Append('"');
        if (report.Verdict.Arm is { } winner)
        {
            html.Append(" data-arm=\"").Append(E(winner)).Append('"');
        }

        html.Append('>').Append(E(report.Verdict.Summary)).Append("</p>\n")
            .Append("<div class=\"table\"><table>\n<thead><tr><th scope=\"col\">Arm</th><th scope=\"col\">Weight</th><th scope=\"col\">Exposed users</th><th scope=\"col\">Conversions</th>")
            .Append("<th scope=\"col\">Conversion value</th><th scope=\"col\">Conversion rate</th><th scope=\"col\">95% interval</th>")
            .Append("<th scope=\"col\" class=\"bar\">Interval, 0 to ").Append(E(AxisLabel(axis))).Append("</th>")
            .Append("<th scope=\"col\">Lift vs control</th><th scope=\"col\">p-value</th></tr></thead>\n<tbody>\n");
        foreach (var arm in report.Arms)
        {
            Arm(html, arm, control, axis, report.Verdict.Arm);
        }

        html.Append("</tbody>\n</table></div>\n</div>\n");
    }

    private static void Arm(StringBuilder html, ArmReport arm, ArmReport? control, double axis, string? winner)
    {
        var classes = arm.IsControl ? "control" : arm.IsArm ? "arm" : "retired";
        if (arm.Variation == winner)
        {
            classes += " winner";
        }

        html.Append("<tr class=\"").Append(classes).Append("\" data-variation=\"").Append(E(arm.Variation)).Append("\">")
            .Append("<th scope=\"row\">").Append(E(arm.Variation));
        if (arm.IsControl)
        {
            html.Append(" <span class=\"tag\">control</span>");
        }

        if (!arm.IsArm)
        {
            html.Append(" <span class=\"tag\" title=\"counted earlier; no longer an arm of the configuration\">not an arm</span>");
        }

        html.Append("</th><td>");
        Data(html, "weight", arm.Weight, ReportFormat.Number(arm.Weight));
        html.Append("</td><td>");
        Data(html, "exposed", arm.UsersExposed, arm.UsersExposed.ToString("N0", CultureInfo.InvariantCulture));
        html.Append("</td><td>");
        Data(html, "conversions", arm.Conversions, arm.Conversions.ToString("N0", CultureInfo.InvariantCulture));
        html.Append("</td><td>");
        Data(html, "value", arm.ConversionValue, arm.ConversionValue.ToString("#,0.##", CultureInfo.InvariantCulture));
        html.Append("</td><td>");
        Optional(html, "rate", arm.ConversionRate, ReportFormat.Percent, "no exposures yet");
        html.Append("</td><td class=\"interval\">");
        if (arm.ConfidenceInterval is { } interval)
        {
            Data(html, "lower", interval.Lower, ReportFormat.Percent(interval.Lower));
            html.Append(" – ");
            Data(html, "upper", interval.Upper, ReportFormat.Percent(interval.Upper));
        }
        else
        {
            None(html, "no exposures yet");
        }

        html.Append("</td><td class=\"bar\">");
        Bar(html, arm, control, axis);
        html.Append("</td><td>");
        Optional(html, "lift", arm.Lift, ReportFormat.SignedPercent, arm.IsControl ? "the control" : "undefined: the control has no conversions yet");
        html.Append("</td><td>");
        Optional(html, "p-value", arm.PValue, ReportFormat.PValue, arm.IsControl ? "the control" : "undefined: an arm has no exposures yet");
        html.Append("</td></tr>\n");
    }

    /// <summary>The interval as a band on a common axis [0, <paramref name="axis"/>], the rate as a tick, the control's rate as a dashed line.</summary>
    private static void Bar(StringBuilder html, ArmReport arm, ArmReport? control, double axis)
    {
        if (arm.ConfidenceInterval is not { } interval || arm.ConversionRate is not { } rate)
        {
            return;
        }

        var label = $"{arm.Variation}: {ReportFormat.Percent(rate)}, 95% interval {ReportFormat.Percent(interval.Lower)} to {ReportFormat.Percent(interval.Upper)}"
            + (interval.Upper > axis ? $" (drawn up to the axis end, {AxisLabel(axis)})" : string.Empty);
        html.Append("<svg class=\"interval-bar\" width=\"").Append(Px(BarWidth)).Append("\" height=\"").Append(Px(BarHeight))
            .Append("\" viewBox=\"0 0 ").Append(Px(BarWidth)).Append(' ').Append(Px(BarHeight)).Append("\" role=\"img\" aria-label=\"").Append(E(label)).Append("\">")
            .Append("<title>").Append(E(label)).Append("</title>")
            .Append("<line class=\"track\" x1=\"").Append(Px(X(0, axis))).Append("\" x2=\"").Append(Px(X(axis, axis))).Append("\" y1=\"11\" y2=\"11\"/>");
        if (control?.ConversionRate is { } baseline && !arm.IsControl)
        {
            html.Append("<line class=\"baseline\" x1=\"").Append(Px(X(baseline, axis))).Append("\" x2=\"").Append(Px(X(baseline, axis))).Append("\" y1=\"1\" y2=\"21\"/>");
        }

        var lower = X(interval.Lower, axis);
        html.Append("<rect class=\"band\" x=\"").Append(Px(lower)).Append("\" y=\"6\" width=\"").Append(Px(Math.Max(1, X(interval.Upper, axis) - lower)))
            .Append("\" height=\"10\" rx=\"2\"/>");
        if (rate <= axis)
        {
            html.Append("<line class=\"rate\" x1=\"").Append(Px(X(rate, axis))).Append("\" x2=\"").Append(Px(X(rate, axis))).Append("\" y1=\"3\" y2=\"19\"/>");
        }

        html.Append("</svg>");
    }

    private static double AxisMax(IReadOnlyList<ArmReport> arms)
    {
        // Variations that are no longer arms do not stretch the axis (a few old counts have a wide interval): their
        // band stops at the axis end, and its label says so.
        var highest = arms.Where(arm => arm.IsArm).Select(arm => arm.ConfidenceInterval?.Upper ?? 0).DefaultIfEmpty(0).Max();
        return AxisMaxima.First(maximum => maximum >= highest);
    }

    private static double X(double value, double axis) => BarPadding + (Math.Clamp(value / axis, 0, 1) * (BarWidth - (2 * BarPadding)));

    private static string Px(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string AxisLabel(double axis) => (axis * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static void Data(StringBuilder html, string name, double value, string text) =>
        html.Append("<data class=\"").Append(name).Append("\" value=\"").Append(value.ToString("R", CultureInfo.InvariantCulture)).Append("\">").Append(E(text)).Append("</data>");

    private static void Data(StringBuilder html, string name, long value, string text) =>
        html.Append("<data class=\"").Append(name).Append("\" value=\"").Append(value.ToString(CultureInfo.InvariantCulture)).Append("\">").Append(E(text)).Append("</data>");

    private static void Optional(StringBuilder html, string name, double? value, Func<double, string> format, string why)
    {
        if (value is { } defined)
        {
            Data(html, name, defined, format(defined));
        }
        else
        {
            None(html, why);
        }
    }

    private static void None(StringBuilder html, string why) => html.Append("<span class=\"none\" title=\"").Append(E(why)).Append("\">–</span>");

    private static string Outcome(VerdictOutcome outcome) => outcome switch
    {
        VerdictOutcome.NotEnoughData => "not-enough-data",
        VerdictOutcome.NoDifferenceYet => "no-difference-yet",
        _ => "arm-better",
    };

    private static string Status(ExperimentDefinition experiment, DateTimeOffset now)
    {
        static string Day(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        return (experiment.Start, experiment.End) switch
        {
            ({ } start, _) when now < start => $"starts {Day(start)}",
            (_, { } end) when now >= end => $"ended {Day(end)}",
            (_, { } end) => $"running until {Day(end)}",
            _ => "running",
        };
    }

    private static string Anchor(string feature) => "experiment-" + feature;

    private static string E(string text) => Encoder.Encode(text);

    private static void Head(StringBuilder html, string title) => html
        .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .Append("<title>").Append(E(title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");

    private const string Style = """
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1240px; padding: 16px 20px 40px; color: #1d2430; background: #fff; }
        h1 { font-size: 22px; margin: 4px 0; } h2 { font-size: 18px; margin: 0 0 2px; } h3 { font-size: 14px; margin: 14px 0 6px; }
        .sub, .meta { color: #55606e; margin: 2px 0 8px; } code { font: 13px ui-monospace, monospace; }
        nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 16px; }
        section.experiment { border: 1px solid #d8dde4; border-radius: 8px; padding: 14px 16px; margin: 14px 0; }
        a.json { font-weight: normal; font-size: 12px; margin-left: 6px; }
        .verdict { padding: 7px 10px; border-radius: 6px; border-left: 4px solid; margin: 6px 0 10px; }
        .verdict.not-enough-data { background: #f3f4f6; border-color: #9aa3ae; }
        .verdict.no-difference-yet { background: #fff7e0; border-color: #d9a400; }
        .verdict.arm-better { background: #e7f6ea; border-color: #2e9a47; }
        div.table { overflow-x: auto; } table { border-collapse: collapse; width: 100%; }
        th, td { padding: 5px 8px; border-bottom: 1px solid #e6e9ee; text-align: right; white-space: nowrap; }
        th[scope=row], thead th:first-child { text-align: left; } thead th { font-weight: 600; color: #3b4452; font-size: 12px; white-space: normal; vertical-align: bottom; }
        td.bar, th.bar { text-align: center; } td.interval { color: #3b4452; }
        tr.retired { color: #7a8491; } tr.winner th[scope=row] { color: #1f7a36; }
        .tag { font-size: 11px; font-weight: normal; background: #eef1f5; border-radius: 4px; padding: 1px 5px; margin-left: 4px; }
        .none { color: #9aa3ae; }
        svg .track { stroke: #d8dde4; stroke-width: 2; } svg .baseline { stroke: #55606e; stroke-dasharray: 3 2; stroke-width: 1; }
        svg .band { fill: #8db4e8; } tr.control svg .band { fill: #b9c1cc; } tr.winner svg .band { fill: #6cc283; }
        svg .rate { stroke: #1d2430; stroke-width: 2; }
        .error { color: #a32020; }

        """;
}
