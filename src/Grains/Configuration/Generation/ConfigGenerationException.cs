namespace Personalization.Grains.Configuration.Generation;

/// <summary>The generator cannot produce a configuration for the given input (a message for the user, not a bug).</summary>
public sealed class ConfigGenerationException(string message, Exception? inner = null) : Exception(message, inner);
