using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static Obelus.Reactive.Protocol.AmiBytes;

namespace Obelus.Reactive.Protocol;

public sealed partial class AmiMessageReader
{
    /// <summary>
    /// Header lines that need none of the general loop's care, 64 bytes at a time: one pair of
    /// compares marks every LF and colon of a block as bits, so each line (AMI lines are 20–30
    /// bytes) costs a few bit operations, and nothing else is live to spill. Stops at the
    /// message's blank line, or before the first line that is anything else (no colon or an
    /// empty name, a limit reached, longer than a block, the last 63 bytes of the span), which
    /// the general loop then takes as before.
    /// </summary>
    /// <param name="span">The message bytes.</param>
    /// <param name="position">Start of the next line; the message has at least one header already.</param>
    /// <param name="slots">Where header slots go, from <paramref name="count"/>.</param>
    /// <param name="count">Headers parsed so far.</param>
    /// <param name="countLimit">Headers this run may reach: the scratch table's size and the header limit, whichever is smaller.</param>
    /// <param name="maxLine">Longest line allowed, terminator excluded.</param>
    /// <param name="maxMessage">Largest message allowed.</param>
    // Its own registers: inlined, its locals spill around Parse's. Fully optimised from the first
    // call (see AmiMessageReader.TryRead).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static OrdinaryRun ParseOrdinaryLines(ReadOnlySpan<byte> span, int position, HeaderSlot[] slots, int count, int countLimit, int maxLine, int maxMessage)
    {
        var dataEnd = 0;
        ref var start = ref MemoryMarshal.GetReference(span);
        while (Vector256.IsHardwareAccelerated && span.Length - position >= 64)
        {
            var blockStart = position;
            var low = Vector256.LoadUnsafe(ref start, (nuint)blockStart);
            var high = Vector256.LoadUnsafe(ref start, (nuint)blockStart + 32);
            var lfBits = Vector256.Equals(low, Vector256.Create(ByteLF)).ExtractMostSignificantBits()
                | ((ulong)Vector256.Equals(high, Vector256.Create(ByteLF)).ExtractMostSignificantBits() << 32);
            var colonBits = Vector256.Equals(low, Vector256.Create(ByteColon)).ExtractMostSignificantBits()
                | ((ulong)Vector256.Equals(high, Vector256.Create(ByteColon)).ExtractMostSignificantBits() << 32);
            while (lfBits != 0)
            {
                var at = BitOperations.TrailingZeroCount(lfBits);
                var lf = blockStart + at;
                var lineStart = position;

                // The line starts at or after the block's start, so LF and colon bits before it are already cleared.
                var lineEnd = lf > lineStart && Unsafe.Add(ref start, lf - 1) == ByteCR ? lf - 1 : lf;
                var lineLength = lineEnd - lineStart;
                if (lf >= maxMessage || lineLength > maxLine)
                {
                    return new OrdinaryRun(position, count, dataEnd, ended: false);
                }

                if (lineLength == 0)
                {
                    return new OrdinaryRun(lf + 1, count, dataEnd, ended: true);
                }

                var colonsBefore = colonBits & ((1UL << at) - 1);
                var colon = blockStart + BitOperations.TrailingZeroCount(colonsBefore) - lineStart;
                if (colonsBefore == 0 || colon == 0 || count >= countLimit)
                {
                    return new OrdinaryRun(position, count, dataEnd, ended: false);
                }

                var valueOffset = ValueOffset(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref start, lineStart), lineLength), colon);

                slots[count++] = new HeaderSlot(lineStart, colon, lineStart + valueOffset, lineLength - valueOffset);
                dataEnd = lineEnd;
                position = lf + 1;
                lfBits &= lfBits - 1;
                colonBits &= ~((2UL << at) - 1);
            }

            if (position == blockStart)
            {
                // No LF in 64 bytes: a long line, for the general loop.
                break;
            }
        }

        return new OrdinaryRun(position, count, dataEnd, ended: false);
    }

    /// <summary>Where <see cref="ParseOrdinaryLines"/> stopped.</summary>
    private readonly struct OrdinaryRun(int position, int count, int dataEnd, bool ended)
    {
        /// <summary>Start of the first line not taken, or past the blank line when <see cref="Ended"/>.</summary>
        public int Position { get; } = position;

        /// <summary>Headers parsed, those before the run included.</summary>
        public int Count { get; } = count;

        /// <summary>End of the last header line taken (valid when the run took at least one).</summary>
        public int DataEnd { get; } = dataEnd;

        /// <summary>The message's blank line was reached.</summary>
        public bool Ended { get; } = ended;
    }
}
