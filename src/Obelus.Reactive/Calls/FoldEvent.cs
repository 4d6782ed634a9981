using System.Text;

namespace Obelus.Reactive.Calls;

/// <summary>The events the call fold handles; every other event is <see cref="None"/>.</summary>
internal enum FoldEvent
{
    None,
    Newchannel,
    Newstate,
    VarSet,
    Hangup,
    HangupRequest,
    DialBegin,
    DialEnd,
    LegacyDial,
    LocalBridge,
    OriginateResponse,
}

/// <summary>Classifies an event by the bytes of its name, ignoring ASCII case and making no string.</summary>
internal static class FoldEvents
{
    /// <remarks>
    /// Every event the client receives passes here, most of them of no interest to the fold: the
    /// length alone rules out nearly all of them before a single byte is compared.
    /// </remarks>
    public static FoldEvent Classify(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when Ascii.EqualsIgnoreCase(name, "Dial"u8) => FoldEvent.LegacyDial,
        6 when Ascii.EqualsIgnoreCase(name, "VarSet"u8) => FoldEvent.VarSet,
        6 when Ascii.EqualsIgnoreCase(name, "Hangup"u8) => FoldEvent.Hangup,
        7 when Ascii.EqualsIgnoreCase(name, "DialEnd"u8) => FoldEvent.DialEnd,
        8 when Ascii.EqualsIgnoreCase(name, "Newstate"u8) => FoldEvent.Newstate,
        9 when Ascii.EqualsIgnoreCase(name, "DialBegin"u8) => FoldEvent.DialBegin,
        10 when Ascii.EqualsIgnoreCase(name, "Newchannel"u8) => FoldEvent.Newchannel,
        11 when Ascii.EqualsIgnoreCase(name, "LocalBridge"u8) => FoldEvent.LocalBridge,
        13 when Ascii.EqualsIgnoreCase(name, "HangupRequest"u8) => FoldEvent.HangupRequest,
        17 when Ascii.EqualsIgnoreCase(name, "SoftHangupRequest"u8) => FoldEvent.HangupRequest,
        17 when Ascii.EqualsIgnoreCase(name, "OriginateResponse"u8) => FoldEvent.OriginateResponse,
        _ => FoldEvent.None,
    };
}
