using System.Globalization;
using Microsoft.Extensions.Options;

namespace Obelus.Reactive.Hosting.Configuration;

/// <summary>
/// Checks a connection's settings when the host starts, reporting every problem at once with the
/// connection's name and the configuration key to fix. Never quotes the secret.
/// </summary>
internal sealed class AmiConnectionOptionsValidator(IOptionsMonitor<AmiConnectionSetup> setups) : IValidateOptions<AmiConnectionOptions>
{
    public ValidateOptionsResult Validate(string? name, AmiConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        name ??= Options.DefaultName;
        var path = setups.Get(name).ConfigurationPath;
        var failures = new List<string>();
        void Fail(string key, string problem) => failures.Add(string.Create(
            CultureInfo.InvariantCulture,
            $"AMI connection '{AmiConnectionSetup.Describe(name)}': {problem} (setting {(path is null ? key : path + ":" + key)})."));

        if (string.IsNullOrWhiteSpace(options.Host))
        {
            Fail("Host", "Host is required: the AMI server's name or address");
        }

        if (options.Port is < 1 or > 65535)
        {
            Fail("Port", $"Port must be between 1 and 65535, not {options.Port}");
        }

        if (string.IsNullOrWhiteSpace(options.Username))
        {
            Fail("Username", "Username is required: a user section of the server's manager.conf");
        }

        if (string.IsNullOrEmpty(options.Secret))
        {
            var variable = path is null ? "the Secret setting" : "the environment variable " + path.Replace(":", "__", StringComparison.Ordinal) + "__Secret";
            Fail("Secret", $"Secret is missing: give it from a secret store or {variable}");
        }

        if (string.IsNullOrWhiteSpace(options.LoginEventMask))
        {
            Fail("LoginEventMask", "LoginEventMask must be 'on', 'off' or a class list such as 'call,system'");
        }

        Positive(options.ConnectTimeout, "ConnectTimeout", Fail);
        Positive(options.DisposeTimeout, "DisposeTimeout", Fail);
        Positive(options.ActionTimeout, "ActionTimeout", Fail);
        Positive(options.KeepAliveTimeout, "KeepAliveTimeout", Fail);
        if (options.KeepAliveInterval < TimeSpan.Zero)
        {
            Fail("KeepAliveInterval", $"KeepAliveInterval must be positive, or zero to turn keep-alive off, not {options.KeepAliveInterval}");
        }

        if (options.EventBufferCapacity < 1)
        {
            Fail("EventBufferCapacity", $"EventBufferCapacity must be at least 1, not {options.EventBufferCapacity}");
        }

        if (options.MaxEventListItems < 1)
        {
            Fail("MaxEventListItems", $"MaxEventListItems must be at least 1, not {options.MaxEventListItems}");
        }

        if (options.MaxWarningsPerMinute < 1)
        {
            Fail("MaxWarningsPerMinute", $"MaxWarningsPerMinute must be at least 1, not {options.MaxWarningsPerMinute}");
        }

        if (!Enum.IsDefined(options.EventOverflow))
        {
            Fail("EventOverflow", $"EventOverflow must be Wait or DropOldest, not {options.EventOverflow}");
        }

        if (!Enum.IsDefined(options.AuthType))
        {
            Fail("AuthType", $"AuthType must be Plain or Md5, not {options.AuthType}");
        }

        if (options.DroppedEventsHealthWindow < TimeSpan.Zero)
        {
            Fail("DroppedEventsHealthWindow", $"DroppedEventsHealthWindow must not be negative, not {options.DroppedEventsHealthWindow}");
        }

        ValidateReconnect(options.Reconnect, Fail);
        ValidateCallManager(options, Fail);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateReconnect(AmiReconnectOptions? reconnect, Action<string, string> fail)
    {
        if (reconnect is null || !reconnect.Enabled)
        {
            return;
        }

        if (reconnect.InitialDelay < TimeSpan.Zero)
        {
            fail("Reconnect:InitialDelay", $"Reconnect:InitialDelay must not be negative, not {reconnect.InitialDelay}");
        }

        if (reconnect.MaxDelay < reconnect.InitialDelay)
        {
            fail("Reconnect:MaxDelay", $"Reconnect:MaxDelay ({reconnect.MaxDelay}) must not be less than Reconnect:InitialDelay ({reconnect.InitialDelay})");
        }

        if (!(reconnect.Multiplier >= 1.0))
        {
            fail("Reconnect:Multiplier", $"Reconnect:Multiplier must be at least 1, not {reconnect.Multiplier}");
        }

        if (!(reconnect.Jitter is >= 0.0 and <= 1.0))
        {
            fail("Reconnect:Jitter", $"Reconnect:Jitter must be between 0 and 1, not {reconnect.Jitter}");
        }

        if (reconnect.MaxAttempts is < 1)
        {
            fail("Reconnect:MaxAttempts", $"Reconnect:MaxAttempts must be at least 1 (or unset for no limit), not {reconnect.MaxAttempts}");
        }
    }

    private static void ValidateCallManager(AmiConnectionOptions options, Action<string, string> fail)
    {
        if (options.CallManager is null)
        {
            fail("CallManager", "CallManager settings must not be null");
            return;
        }

        try
        {
            options.CallManager.Validate();
        }
        catch (ArgumentException ex)
        {
            fail("CallManager:" + ex.ParamName, ex.Message.Split(" (Parameter", 2)[0]);
        }
    }

    private static void Positive(TimeSpan value, string key, Action<string, string> fail)
    {
        if (value <= TimeSpan.Zero)
        {
            fail(key, $"{key} must be positive, not {value}");
        }
    }
}
