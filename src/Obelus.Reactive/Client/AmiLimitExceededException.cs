namespace Obelus.Reactive.Client;

/// <summary>The server sent more than a limit of <see cref="AmiClientOptions"/> allows (say, an event list longer than <see cref="AmiClientOptions.MaxEventListItems"/>).</summary>
public sealed class AmiLimitExceededException : AmiException
{
    /// <summary>Creates the exception for the option <paramref name="limitName"/> and its value <paramref name="limit"/>.</summary>
    public AmiLimitExceededException(string message, string limitName, long limit)
        : base(message)
    {
        LimitName = limitName;
        Limit = limit;
    }

    /// <summary>The option that set the limit, e.g. <c>MaxEventListItems</c>.</summary>
    public string LimitName { get; }

    /// <summary>The limit in force.</summary>
    public long Limit { get; }
}
