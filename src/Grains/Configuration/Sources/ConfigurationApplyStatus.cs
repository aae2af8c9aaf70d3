namespace Personalization.Grains.Configuration;

public enum ConfigurationApplyStatus
{
    /// <summary>The document was valid and is now live.</summary>
    Applied,

    /// <summary>The document is byte-identical to the live one; nothing changed.</summary>
    Unchanged,

    /// <summary>The document was invalid; the previous snapshot (if any) stays live.</summary>
    Rejected,
}
