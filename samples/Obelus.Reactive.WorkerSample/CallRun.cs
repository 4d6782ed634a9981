namespace Obelus.Reactive.WorkerSample;

/// <summary>What the worker did, for the exit code.</summary>
public sealed class CallRun
{
    /// <summary>True when every call ended and the connection was healthy at the end.</summary>
    public bool Succeeded { get; set; }
}
