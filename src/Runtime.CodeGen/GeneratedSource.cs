using System;

namespace Personalization.Runtime.CodeGen
{
    /// <summary>One generated file. Plain strings so the incremental pipeline can compare and cache it.</summary>
    internal sealed class GeneratedSource : IEquatable<GeneratedSource>
    {
        public GeneratedSource(string hintName, string text)
        {
            HintName = hintName;
            Text = text;
        }

        public string HintName { get; }

        public string Text { get; }

        public bool Equals(GeneratedSource? other) => other is not null && HintName == other.HintName && Text == other.Text;

        public override bool Equals(object? obj) => Equals(obj as GeneratedSource);

        public override int GetHashCode() => HintName.GetHashCode() ^ Text.GetHashCode();
    }
}
