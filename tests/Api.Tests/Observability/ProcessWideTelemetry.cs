using Xunit;

namespace Personalization.Api.Tests.Observability;

/// <summary>
/// Meters (the service's are static) and activity sources are process-wide: a silo's OpenTelemetry providers see the
/// measurements and spans of every silo in the test process. Tests that count them run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideTelemetry
{
    public const string Name = "process-wide telemetry";
}
