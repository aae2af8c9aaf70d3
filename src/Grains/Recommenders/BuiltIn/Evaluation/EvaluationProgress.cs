namespace Personalization.Grains.Recommenders.BuiltIn.Evaluation;

public readonly record struct EvaluationProgress(string Stage, int Done, int Total);
