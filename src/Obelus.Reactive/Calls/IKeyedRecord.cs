namespace Obelus.Reactive.Calls;

/// <summary>A record of the fold that carries the key it is found by (see <see cref="RecordMap{TRecord}"/>).</summary>
internal interface IKeyedRecord
{
    /// <summary>The key; it must not change while the record is in a map.</summary>
    IdKey Key { get; }
}
