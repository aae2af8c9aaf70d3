namespace Personalization.Grains.Context;

/// <summary>`{operator, value, mapTo}`: when the rule's input satisfies the operator against Value, the rule yields MapTo.</summary>
public sealed record ValueMapping(MappingOperator Operator, ContextValue Value, ContextValue MapTo);
