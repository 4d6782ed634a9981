namespace Obelus.Reactive.Protocol;

/// <summary>The greeting line an AMI server sends first, e.g. <c>Asterisk Call Manager/5.0.2</c>.</summary>
/// <param name="Name">The product name before the slash (<c>Asterisk Call Manager</c>).</param>
/// <param name="Version">The AMI version after the slash, as sent (<c>5.0.2</c>).</param>
public sealed record AmiBanner(string Name, string Version)
{
    /// <summary>The AMI major version (0 when the version does not start with a number).</summary>
    public int MajorVersion
    {
        get
        {
            var dot = Version.IndexOf('.', StringComparison.Ordinal);
            var head = dot < 0 ? Version : Version[..dot];
            return int.TryParse(head, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var major) ? major : 0;
        }
    }

    /// <summary>
    /// True when Originate accepts <c>ChannelId</c>/<c>OtherChannelId</c>: AMI 2.0 and later
    /// (Asterisk 12 and later).
    /// </summary>
    public bool SupportsChannelId => MajorVersion >= 2;

    /// <inheritdoc />
    public override string ToString() => Name + "/" + Version;
}
