using System.Text;

namespace Personalization.Grains.Recommenders.BuiltIn.Interactions;

/// <summary>RFC 4180 field splitting for one line (quoted fields may contain commas and doubled quotes).</summary>
internal static class CsvLine
{
    public static List<string> Split(string line)
    {
        var cells = new List<string>(6);
        var i = 0;
        while (true)
        {
            if (i < line.Length && line[i] == '"')
            {
                var cell = new StringBuilder();
                i++;
                while (i < line.Length)
                {
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            cell.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    cell.Append(line[i++]);
                }

                cells.Add(cell.ToString());
                var comma = line.IndexOf(',', i);
                if (comma < 0)
                {
                    return cells;
                }

                i = comma + 1;
            }
            else
            {
                var comma = line.IndexOf(',', i);
                if (comma < 0)
                {
                    cells.Add(line[i..]);
                    return cells;
                }

                cells.Add(line[i..comma]);
                i = comma + 1;
            }
        }
    }

    public static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
