using System.Diagnostics;

namespace Personalization.Grains.Diagnostics;

/// <summary>
/// The service's own spans (activity source <c>Personalization</c>), on the miss and delivery paths only: the backend
/// call, the decoration from the catalog, and each batch sent to an event target. A span is created only while a
/// tracer listens (traces exported), so without one this costs a null check.
/// </summary>
public static class PersonalizationTracing
{
    public const string SourceName = "Personalization";

    public static readonly ActivitySource Source = new(SourceName);
}
