namespace Obelus.Reactive.Calls;

/// <summary>Why a call failed or was lost.</summary>
/// <param name="Message">
/// A readable explanation: the <c>Message</c> of an Error response, the meaning of the
/// <c>OriginateResponse</c> reason, or what timed out or was lost.
/// </param>
/// <param name="OriginateReason">The <c>Reason</c> number of the <c>OriginateResponse</c>, when one explained the failure.</param>
public sealed record CallFailure(string Message, int? OriginateReason = null)
{
    /// <summary>A failure explained by an <c>OriginateResponse</c> reason number.</summary>
    public static CallFailure FromOriginateReason(int reason) => new(CallTexts.DescribeOriginateReason(reason), reason);
}
