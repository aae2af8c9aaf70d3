namespace Personalization.Grains.Configuration;

/// <summary>Evidently configs (the service is retired) are served by the built-in engine like builtin ones.</summary>
public enum ExperimentMethod
{
    Evidently,
    Builtin,
}
