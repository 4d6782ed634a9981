using System.Text;

namespace Obelus.Reactive.Testing.Internal;

/// <summary>
/// Asterisk's splitting of a comma-separated argument list (what it does to every <c>Variable:</c>
/// header of an Originate): a comma separates unless inside double quotes, parentheses or square
/// brackets; double quotes are removed; a backslash is removed and takes the next character as it is.
/// </summary>
internal static class ApplicationArguments
{
    /// <summary>The most arguments one header may carry; the rest stays in the last one, as on the server.</summary>
    public const int MaxArguments = 64;

    public static List<string> Split(string text)
    {
        var arguments = new List<string>();
        var current = new StringBuilder();
        int paren = 0, bracket = 0;
        var quoted = false;
        var endedOnComma = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            endedOnComma = false;
            switch (c)
            {
                case '(':
                    paren++;
                    break;
                case ')' when paren > 0:
                    paren--;
                    break;
                case '[':
                    bracket++;
                    break;
                case ']' when bracket > 0:
                    bracket--;
                    break;
                case '"':
                    quoted = !quoted;
                    continue;
                case '\\':
                    if (++i < text.Length)
                    {
                        current.Append(text[i]);
                    }

                    continue;
                case ',' when paren == 0 && bracket == 0 && !quoted && arguments.Count < MaxArguments - 1:
                    arguments.Add(current.ToString());
                    current.Clear();
                    endedOnComma = true;
                    continue;
            }

            current.Append(c);
        }

        if (current.Length > 0 || endedOnComma)
        {
            arguments.Add(current.ToString());
        }

        return arguments;
    }
}
