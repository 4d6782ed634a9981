namespace Obelus.Reactive.Protocol;

/// <summary>What the first header of an AMI message says it is.</summary>
public enum AmiMessageKind
{
    /// <summary>A reply to an action: the first header is <c>Response:</c>.</summary>
    Response,

    /// <summary>An unsolicited or list event: the first header is <c>Event:</c>.</summary>
    Event,

    /// <summary>A request sent by a client: the first header is <c>Action:</c> (what a server reads).</summary>
    Action,
}
