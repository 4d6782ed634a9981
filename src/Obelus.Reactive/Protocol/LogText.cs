using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Obelus.Reactive.Protocol;

/// <summary>
/// Makes text that came from the server safe to put in a log line: control characters (which
/// could forge line breaks or drive a terminal) become visible escapes, and long text is cut.
/// </summary>
internal static class LogText
{
    /// <summary>Characters of server text kept in one log value; the rest is summarised by its length.</summary>
    public const int MaxLength = 200;

    /// <summary>The text with control and format characters escaped (<c>\x1B</c>), cut to <see cref="MaxLength"/>; null stays null.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Clean(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var keep = Math.Min(text.Length, MaxLength);
        if (keep == text.Length && !NeedsEscape(text))
        {
            return text;
        }

        var builder = new StringBuilder(keep + 32);
        foreach (var c in text.AsSpan(0, keep))
        {
            if (IsUnsafe(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            }
            else
            {
                builder.Append(c);
            }
        }

        if (keep < text.Length)
        {
            builder.Append(CultureInfo.InvariantCulture, $"... ({text.Length} characters in all)");
        }

        return builder.ToString();
    }

    private static bool NeedsEscape(string text)
    {
        foreach (var c in text)
        {
            if (IsUnsafe(c))
            {
                return true;
            }
        }

        return false;
    }

    // Controls (C0, DEL, C1), and format characters such as the bidirectional overrides that
    // make a log line read differently from what it holds.
    private static bool IsUnsafe(char c) =>
        char.IsControl(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format;
}
