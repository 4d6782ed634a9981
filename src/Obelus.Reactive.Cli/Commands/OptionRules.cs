using System.CommandLine;

namespace Obelus.Reactive.Cli.Commands;

/// <summary>Validation shared by the commands' options.</summary>
internal static class OptionRules
{
    /// <summary>
    /// Rejects a given value outside [<paramref name="min"/>, <paramref name="max"/>] with
    /// <paramref name="message"/>. An option validator runs only when the option is on the command line,
    /// so defaults are not re-checked.
    /// </summary>
    public static Option<T> InRange<T>(this Option<T> option, T min, T max, string message)
        where T : IComparable<T>
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<T>();
            if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
            {
                result.AddError(message);
            }
        });
        return option;
    }
}
