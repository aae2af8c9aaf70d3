namespace Personalization.Grains.Context;

/// <summary>Data type of an automatic context field or dynamic filter parameter (wire names string|integer|long|float).</summary>
public enum AutoContextFieldType
{
    String,
    Integer,
    Long,
    Float,
}
