using System.Buffers;
using System.Text;

namespace Obelus.Reactive.Protocol;

/// <summary>
/// An action to send: a name, headers in order (names may repeat) and an optional <c>ActionID</c>.
/// Every key and value is checked when added: CR, LF or NUL anywhere, or an empty key, is an
/// <see cref="ArgumentException"/>, so no value can smuggle a second action onto the wire.
/// </summary>
public sealed class AmiAction
{
    private static readonly string[] SecretHeaders = ["Secret", "Key"];

    // What Asterisk's argument splitter gives a meaning to in a Variable header.
    private static readonly SearchValues<char> ArgumentSpecials = SearchValues.Create("\\\",");
    private readonly List<AmiHeader> _headers = [];

    /// <summary>Creates an action named <paramref name="name"/> (e.g. <c>Originate</c>).</summary>
    /// <exception cref="ArgumentException">The name is empty or contains CR, LF or NUL.</exception>
    public AmiAction(string name)
    {
        ValidateToken(name, nameof(name), allowEmpty: false);
        Name = name;
    }

    /// <summary>The action name.</summary>
    public string Name { get; }

    /// <summary>
    /// The correlation id. When null, the client assigns one when sending (and this property
    /// then shows it).
    /// </summary>
    public string? ActionId
    {
        get;
        set
        {
            if (value is not null)
            {
                ValidateToken(value, nameof(value), allowEmpty: false);
            }

            field = value;
        }
    }

    /// <summary>The headers after <c>Action</c> and <c>ActionID</c>, in the order they will be written.</summary>
    public IReadOnlyList<AmiHeader> Headers => _headers;

    /// <summary>Adds a header; the same name may be added more than once.</summary>
    /// <exception cref="ArgumentException">Empty name, or CR, LF or NUL in the name or value.</exception>
    public AmiAction Add(string name, string value)
    {
        ValidateToken(name, nameof(name), allowEmpty: false);
        ValidateToken(value, nameof(value), allowEmpty: true);
        if (name.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Header name '{name}' must not contain ':'.", nameof(name));
        }

        if (name.Equals("ActionID", StringComparison.OrdinalIgnoreCase))
        {
            ActionId = value;
            return this;
        }

        _headers.Add(new AmiHeader(name, value));
        return this;
    }

    /// <summary>Adds a header only when <paramref name="value"/> is not null.</summary>
    public AmiAction AddIfNotNull(string name, string? value) => value is null ? this : Add(name, value);

    /// <summary>
    /// Adds a channel variable as <c>Variable: name=value</c>, escaped so that it arrives as exactly
    /// this one variable: Asterisk splits a <c>Variable</c> header into several at commas and strips
    /// double quotes and backslashes, so <c>\</c>, <c>"</c> and <c>,</c> are sent with a backslash before them.
    /// </summary>
    /// <exception cref="ArgumentException">Empty name, '=' in the name, or CR, LF or NUL anywhere.</exception>
    public AmiAction AddVariable(string name, string value)
    {
        ValidateToken(name, nameof(name), allowEmpty: false);
        ValidateToken(value, nameof(value), allowEmpty: true);
        if (name.Contains('=', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Variable name '{name}' must not contain '='.", nameof(name));
        }

        _headers.Add(new AmiHeader("Variable", EscapeArgument(name) + "=" + EscapeArgument(value)));
        return this;
    }

    private static string EscapeArgument(string text)
    {
        if (text.AsSpan().IndexOfAny(ArgumentSpecials) < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (ArgumentSpecials.Contains(c))
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>The first value of header <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var header in _headers)
            {
                if (header.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return header.Value;
                }
            }

            return null;
        }
    }

    /// <summary>The action as AMI text, with secrets (<c>Secret</c>, <c>Key</c>) replaced by <c>***</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        builder.Append("Action: ").Append(Name).Append("\r\n");
        if (ActionId is not null)
        {
            builder.Append("ActionID: ").Append(ActionId).Append("\r\n");
        }

        foreach (var header in _headers)
        {
            builder.Append(header.Name).Append(": ").Append(IsSecret(header.Name) ? "***" : header.Value).Append("\r\n");
        }

        return builder.ToString();
    }

    /// <summary>True for headers whose value must never be logged or shown.</summary>
    public static bool IsSecret(string headerName) =>
        Array.Exists(SecretHeaders, s => s.Equals(headerName, StringComparison.OrdinalIgnoreCase));

    internal static void ValidateToken(string value, string parameterName, bool allowEmpty)
    {
        ArgumentNullException.ThrowIfNull(value, parameterName);
        if (!allowEmpty && value.Length == 0)
        {
            throw new ArgumentException("AMI header names must not be empty.", parameterName);
        }

        var bad = value.AsSpan().IndexOfAny('\r', '\n', '\0');
        if (bad >= 0)
        {
            var what = value[bad] switch { '\r' => "CR", '\n' => "LF", _ => "NUL" };
            throw new ArgumentException($"AMI headers must not contain {what} (found at position {bad}); refusing to write a value that could inject headers.", parameterName);
        }
    }
}
