namespace Personalization.Runtime.CodeGeneration;

/// <summary>How a call shares its activation's turn; the code generator derives it from the interface method's attributes.</summary>
public enum CallKind
{
    /// <summary>Holds the turn alone (the default).</summary>
    Exclusive,

    /// <summary>[ReadOnly]: shares the turn with other read-only calls when no exclusive call holds or awaits it.</summary>
    ReadOnly,

    /// <summary>[AlwaysInterleave]: runs regardless of the turn.</summary>
    Interleave,
}
