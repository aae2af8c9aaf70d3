using System.Globalization;

namespace Personalization.Grains.Context;

/// <summary>
/// A JSON string-or-number from a rule (`value`, `mapTo`, `default`). Text is the invariant form used for
/// string operators and for output; Number is set when the value is numeric (or numeric text), for ordering.
/// </summary>
public readonly record struct ContextValue(string Text, double? Number)
{
    public static ContextValue FromString(string text) =>
        new(text, double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null);

    public static ContextValue FromNumber(double number) =>
        new(number.ToString("R", CultureInfo.InvariantCulture), number);

    public static ContextValue FromInt(int number) => new(number.ToString(CultureInfo.InvariantCulture), number);

    public override string ToString() => Text;
}
