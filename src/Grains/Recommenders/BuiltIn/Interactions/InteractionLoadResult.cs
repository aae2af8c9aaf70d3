using Personalization.Grains.Catalog;

namespace Personalization.Grains.Recommenders.BuiltIn.Interactions;

public sealed record InteractionLoadResult(IReadOnlyList<Interaction> Interactions, IReadOnlyList<DataFileError> Errors);
