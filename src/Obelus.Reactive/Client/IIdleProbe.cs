namespace Obelus.Reactive.Client;

/// <summary>Something a <see cref="WorkGauge"/> asks whether it has work left to do.</summary>
internal interface IIdleProbe
{
    /// <summary>True when nothing handed to it is still waiting or being processed.</summary>
    bool IsIdle { get; }
}
