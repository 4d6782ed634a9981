namespace Obelus.Reactive.Tests.Calls;

/// <summary>The two event vocabularies the fold understands.</summary>
public enum AmiDialect
{
    /// <summary>Asterisk 1.8 to 11: Dial with SubEvent, LocalBridge with Uniqueid1/Uniqueid2, no Linkedid.</summary>
    Legacy,

    /// <summary>Asterisk 12 and later: DialBegin/DialEnd, LocalOne/LocalTwo headers, Linkedid everywhere.</summary>
    Modern,
}
