using Personalization.Grains.Configuration;
using Personalization.Grains.Experiments;

namespace Personalization.Grains.Users;

/// <summary>Events a user sent in one request, accepted by every target, with its resolved experiment conversions.</summary>
public sealed record UserEvents(ResolvedNamespace Namespace, IReadOnlyList<UserEvent> Events, IReadOnlyList<ExperimentConversion> Conversions);
