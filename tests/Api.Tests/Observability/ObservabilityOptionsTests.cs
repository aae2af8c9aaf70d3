using Microsoft.Extensions.Configuration;
using Personalization.Api.Observability;
using Xunit;

namespace Personalization.Api.Tests.Observability;

public sealed class ObservabilityOptionsTests
{
    private static ObservabilityOptions Read(bool development, params (string Key, string Value)[] settings) =>
        ObservabilityOptions.Read(
            new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build(),
            development);

    [Fact]
    public void Traces_are_on_only_with_an_otlp_endpoint()
    {
        Assert.False(Read(false).TracesEnabled);
        Assert.True(Read(false, ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317")).TracesEnabled);
        Assert.True(Read(false, ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces")).TracesEnabled);
        Assert.False(Read(false, ("OTEL_EXPORTER_OTLP_ENDPOINT", " ")).TracesEnabled);
    }

    [Fact]
    public void The_dashboard_is_on_in_development_only_unless_set()
    {
        Assert.True(Read(true).DashboardEnabled);
        Assert.False(Read(false).DashboardEnabled);
        Assert.True(Read(false, ("Dashboard:Enabled", "true")).DashboardEnabled);
        Assert.False(Read(true, ("Dashboard:Enabled", "False")).DashboardEnabled);
    }

    [Fact]
    public void User_ids_stay_out_of_spans_unless_allowed_and_the_service_name_follows_the_standard_variable()
    {
        Assert.False(Read(false).IncludeUserIds);
        Assert.True(Read(false, ("Telemetry:IncludeUserIds", "true")).IncludeUserIds);
        Assert.Equal("personalization", Read(false).ServiceName);
        Assert.Equal("recs-eu", Read(false, ("OTEL_SERVICE_NAME", "recs-eu")).ServiceName);
    }

    [Theory]
    [InlineData("Dashboard:Enabled", "Dashboard__Enabled")]
    [InlineData("Telemetry:IncludeUserIds", "Telemetry__IncludeUserIds")]
    public void A_flag_that_is_not_true_or_false_is_refused_by_its_setting_name(string key, string named)
    {
        var error = Assert.Throws<FormatException>(() => Read(false, (key, "yes please")));
        Assert.Contains(named, error.Message);
    }

    [Theory]
    [InlineData("user/fake/u1", "user/~")]
    [InlineData("sys.client/hosted-127.0.0.1:11111@1", "sys.client/~")]
    [InlineData("S127.0.0.1:11111:1", "S127.0.0.1:11111:1")]
    public void Grain_ids_keep_their_type_and_lose_their_key(string id, string redacted) =>
        Assert.Equal(redacted, PersonalDataRedaction.RedactGrainId(id));
}
