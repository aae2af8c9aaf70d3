namespace Personalization.Grains.Recommenders.BuiltIn.Filters;

internal enum FilterTokenKind
{
    Word,
    String,
    Number,
    Parameter,
    OpenParen,
    CloseParen,
    Comma,
    Operator,
    End,
}

internal readonly record struct FilterToken(FilterTokenKind Kind, string Text, int Position)
{
    public bool IsWord(string keyword) => Kind == FilterTokenKind.Word && Text.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    public string Describe() => Kind switch
    {
        FilterTokenKind.End => "end of expression",
        FilterTokenKind.String => $"string \"{Text}\"",
        _ => $"'{Text}'",
    };
}
