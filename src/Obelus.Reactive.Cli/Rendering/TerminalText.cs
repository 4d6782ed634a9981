using System.Buffers;
using System.Globalization;
using System.Text;

namespace Obelus.Reactive.Cli.Rendering;

/// <summary>
/// Makes text that came from a server (caller ids, channel names, messages) safe to print: a
/// caller can put escape sequences in a name, and a terminal would obey them (retitle the
/// window, clear the screen, recolour). Control characters and the invisible bidirectional
/// overrides are shown as <c>\xNN</c> / <c>\uNNNN</c> instead, so the line stays one line and
/// says what was there.
/// </summary>
internal static class TerminalText
{
    // C0, DEL, C1 (CSI is U+009B: an escape sequence without ESC), and the bidi marks and
    // overrides that reorder what follows them on screen.
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(i => (char)i), .. Enumerable.Range(0x7F, 0x21).Select(i => (char)i),
         '\u061C', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']);

    /// <summary><paramref name="text"/> with every control character written out as an escape; empty for null.</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (!text.AsSpan().ContainsAny(Unsafe))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (!Unsafe.Contains(c))
            {
                builder.Append(c);
            }
            else if (c <= '\u00FF')
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:X2}");
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
        }

        return builder.ToString();
    }
}
