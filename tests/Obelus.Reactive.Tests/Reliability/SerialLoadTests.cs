using Xunit;

namespace Obelus.Reactive.Tests.Reliability;

/// <summary>
/// Tests that push 100,000 events through a real read loop and dispatcher run alone, after the
/// parallel ones: on a small machine, sharing the cores with the rest of the suite only makes
/// them slower, and their safety timeouts are for hangs, not for contention.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialLoadTests
{
    public const string Name = "Load";
}
