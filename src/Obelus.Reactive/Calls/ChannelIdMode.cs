namespace Obelus.Reactive.Calls;

/// <summary>Whether our Originates choose the Uniqueids of their channels (<c>ChannelId</c>/<c>OtherChannelId</c>).</summary>
public enum ChannelIdMode
{
    /// <summary>When the server's banner says it supports them (AMI 2.0 and later, Asterisk 12 and later).</summary>
    Auto,

    /// <summary>Always (the server must support them, or the Originate fails).</summary>
    Always,

    /// <summary>Never: bind by the tracking variable (and the OriginateResponse) only.</summary>
    Never,
}
