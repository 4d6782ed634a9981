namespace Obelus.Reactive.Calls;

/// <summary>What a fold timer waits for.</summary>
internal enum CallTimerKind
{
    /// <summary>The Originate action's response.</summary>
    Response,

    /// <summary>The first channel of an accepted Async Originate.</summary>
    Bind,

    /// <summary>The OriginateResponse of a call whose channels are all gone.</summary>
    OriginateResponseGrace,

    /// <summary>A new login after the connection was lost (one timer for the whole fold, serial 0).</summary>
    ReconnectGrace,
}

/// <summary>A timer the fold asks its driver to start (Due set) or stop (Due null).</summary>
internal readonly record struct CallTimer(long Serial, CallTimerKind Kind, DateTimeOffset? Due);
