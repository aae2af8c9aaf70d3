namespace Personalization.Runtime;

public enum DeactivationReasonCode
{
    None,
    ApplicationRequested,
    ActivationIdle,
    CapacityLimit,
    ActivationFailed,
    InconsistentState,
    ShuttingDown,
}

public readonly record struct DeactivationReason(DeactivationReasonCode Code, string Description);
