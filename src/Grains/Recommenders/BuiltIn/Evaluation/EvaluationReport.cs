namespace Personalization.Grains.Recommenders.BuiltIn.Evaluation;

/// <summary>What was evaluated and how each algorithm did on the held-out period.</summary>
public sealed record EvaluationReport(
    DateTimeOffset SplitAt,
    int TrainInteractions,
    int TestInteractions,
    int TestUsers,
    TimeSpan TrainingTime,
    IReadOnlyList<AlgorithmMetrics> Algorithms);
