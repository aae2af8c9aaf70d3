using Personalization.Grains.Experiments;

namespace Personalization.Grains.Users;

/// <summary>
/// Events a user sent in one request of namespace <see cref="Namespace"/>, accepted by every target, with the
/// experiment conversions they carry (by feature and metric name: the grain resolves names against its own silo's
/// configuration).
/// </summary>
[GenerateSerializer, Immutable, Alias("personalization.UserEvents")]
public sealed record UserEvents(string Namespace, UserEvent[] Events, ExperimentConversionRecord[] Conversions);
