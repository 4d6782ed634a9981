using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Obelus.Reactive.Cli.Rendering;

namespace Obelus.Reactive.Cli.Commands;

/// <summary>
/// Numeric options that parse and check their value in one step, so that a bad value is a usage
/// error naming the option and the accepted range (never a conversion exception).
/// </summary>
internal static class OptionRules
{
    /// <summary>An integer option accepting <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<int> WholeNumber(string name, string description, int defaultValue, int min, int max)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.CustomParser = result =>
        {
            var text = LastToken(result);
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                return value;
            }

            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be a whole number from {min} to {max}, not '{TerminalText.Clean(text)}'."));
            return defaultValue;
        };
        return option;
    }

    /// <summary>An optional integer option accepting <paramref name="min"/> to <paramref name="max"/>; null when absent.</summary>
    public static Option<int?> OptionalWholeNumber(string name, string description, int min, int max)
    {
        var option = new Option<int?>(name) { Description = description };
        option.CustomParser = result =>
        {
            var text = LastToken(result);
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                return value;
            }

            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be a whole number from {min} to {max}, not '{TerminalText.Clean(text)}'."));
            return null;
        };
        return option;
    }

    /// <summary>A decimal option (a dot as separator) accepting <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<double> Number(string name, string description, double defaultValue, double min, double max)
    {
        var option = new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.CustomParser = result =>
        {
            var text = LastToken(result);
            if (double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                return value;
            }

            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be a number from {min} to {max}, not '{TerminalText.Clean(text)}'."));
            return defaultValue;
        };
        return option;
    }

    /// <summary>An option taking one of <typeparamref name="T"/>'s names (any case).</summary>
    public static Option<T> Choice<T>(string name, string helpName, string description, T defaultValue)
        where T : struct, Enum
    {
        var option = new Option<T>(name) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = helpName };
        option.CustomParser = result =>
        {
            var text = LastToken(result);
            if (!int.TryParse(text, CultureInfo.InvariantCulture, out _) && Enum.TryParse<T>(text, ignoreCase: true, out var value))
            {
                return value;
            }

            var names = string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()));
            result.AddError($"{name} must be one of {names}, not '{TerminalText.Clean(text)}'.");
            return defaultValue;
        };
        return option;
    }

    private static string LastToken(ArgumentResult result) => result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;
}
