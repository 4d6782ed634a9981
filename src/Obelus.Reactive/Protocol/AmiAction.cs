using System.Buffers;
using System.Text;

namespace Obelus.Reactive.Protocol;

/// <summary>
/// An action to send: a name, headers in order (names may repeat) and an optional <c>ActionID</c>.
/// Every key and value is checked when added: CR, LF or NUL anywhere, or an empty key, is an
/// <see cref="ArgumentException"/>, so no value can smuggle a second action onto the wire; so is
/// a header whose line would be longer than <see cref="MaxLineBytes"/>, which Asterisk drops, and a
/// header past <see cref="MaxLines"/> lines, which Asterisk does not take.
/// </summary>
public sealed class AmiAction
{
    /// <summary>
    /// The longest line of an action, in UTF-8 bytes with its CRLF: Asterisk reads each line of
    /// an action into a buffer of this size and drops a whole action with a longer line
    /// (unanswered, so it would only time out). Longer headers are refused when added.
    /// </summary>
    public const int MaxLineBytes = 1024;

    /// <summary>
    /// The most lines Asterisk takes from one action (its <c>AST_MAX_MANHEADERS</c>), the
    /// <c>Action</c> and <c>ActionID</c> lines included; so an action holds at most
    /// <see cref="MaxLines"/> − 2 headers, and one more is refused when added.
    /// </summary>
    public const int MaxLines = 128;

    private static readonly string[] SecretHeaders = ["Secret", "Key"];

    // What Asterisk's argument splitter gives a meaning to in a Variable header.
    private static readonly SearchValues<char> ArgumentSpecials = SearchValues.Create("\\\",");
    private readonly List<AmiHeader> _headers = [];

    /// <summary>Creates an action named <paramref name="name"/> (e.g. <c>Originate</c>).</summary>
    /// <exception cref="ArgumentException">The name is empty or contains CR, LF or NUL.</exception>
    public AmiAction(string name)
    {
        ValidateToken(name, nameof(name), allowEmpty: false);
        ValidateLineLength("Action", name, nameof(name));
        Name = name;
    }

    /// <summary>The action name.</summary>
    public string Name { get; }

    /// <summary>
    /// The correlation id. When null (the usual case), the client sends the action with a fresh
    /// id each time and leaves this property null: the same action may be sent again (a retry)
    /// without taking the answer meant for an earlier send. Set it only to choose the id yourself;
    /// it must then be unique among the actions in flight.
    /// </summary>
    public string? ActionId
    {
        get;
        set
        {
            if (value is not null)
            {
                ValidateToken(value, nameof(value), allowEmpty: false);
                ValidateLineLength("ActionID", value, nameof(value));
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

        ValidateLineLength(name, value, nameof(value));
        EnsureRoom(name);
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

        var variable = EscapeArgument(name) + "=" + EscapeArgument(value);
        ValidateLineLength("Variable", variable, nameof(value));
        EnsureRoom("Variable");
        _headers.Add(new AmiHeader("Variable", variable));
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

    /// <summary>Refuses a header past <see cref="MaxLines"/> lines (Action and ActionID count as two).</summary>
    private void EnsureRoom(string name)
    {
        if (_headers.Count + 2 >= MaxLines)
        {
            throw new ArgumentException(
                $"AMI action '{Name}' already has {_headers.Count} headers; with its Action and ActionID lines that is the {MaxLines} lines Asterisk takes from one action, so header '{name}' would not reach it.",
                nameof(name));
        }
    }

    /// <summary>Refuses a header whose line (<c>name: value</c> and CRLF) would be longer than <see cref="MaxLineBytes"/>.</summary>
    internal static void ValidateLineLength(string name, string value, string parameterName)
    {
        // Cheap bound first: a UTF-8 char takes at most 3 bytes per UTF-16 unit.
        if ((name.Length + value.Length) * 3 + 4 <= MaxLineBytes)
        {
            return;
        }

        var bytes = Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value) + 4;
        if (bytes > MaxLineBytes)
        {
            throw new ArgumentException(
                $"AMI header '{name}' would be a line of {bytes} bytes; Asterisk accepts at most {MaxLineBytes} bytes per line of an action (CRLF included) and drops an action with a longer one without answering.",
                parameterName);
        }
    }

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
