using Obelus.Reactive.Protocol;

namespace Obelus.Reactive.Testing.Internal;

/// <summary>
/// Maps what a capture recorded (ActionIDs, tracking variable names and values) to what the
/// replaying client sent, and rewrites recorded messages accordingly.
/// </summary>
internal sealed class CaptureRewriter
{
    private readonly Dictionary<string, string> _actionIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Name, Dictionary<string, string> Values)> _variables = new(StringComparer.Ordinal);

    /// <summary>Learns the pairs of one matched action.</summary>
    public void Learn(AmiRequest? recorded, AmiResponse recordedResponse, AmiRequest actual, bool variables)
    {
        var recordedId = recorded?.ActionId ?? recordedResponse.ActionId;
        if (recordedId is not null && actual.ActionId is not null)
        {
            _actionIds[recordedId] = actual.ActionId;
        }

        if (!variables || recorded is null)
        {
            return;
        }

        var before = recorded.GetValues("Variable");
        var after = actual.GetValues("Variable");
        for (var i = 0; i < Math.Min(before.Count, after.Count); i++)
        {
            var (oldName, oldValue) = Split(before[i]);
            var (newName, newValue) = Split(after[i]);
            if (!_variables.TryGetValue(oldName, out var entry))
            {
                entry = (newName, new Dictionary<string, string>(StringComparer.Ordinal));
                _variables[oldName] = entry;
            }

            entry.Values[oldValue] = newValue;
        }
    }

    /// <summary>The message as the client should see it; <paramref name="clientActionId"/> is added to a response that had none.</summary>
    public AmiMessage Rewrite(AmiMessage message, string? clientActionId)
    {
        var headers = new List<AmiHeader>(message.Count + 1);
        string? variableOwner = null;
        for (var i = 0; i < message.Count; i++)
        {
            var header = message[i];
            var name = header.Name;
            var value = header.Value;
            if (name.Equals("ActionID", StringComparison.OrdinalIgnoreCase))
            {
                value = _actionIds.GetValueOrDefault(value, value);
            }
            else if (name.Equals("Variable", StringComparison.OrdinalIgnoreCase))
            {
                value = RewriteVariable(value, out variableOwner);
            }
            else if (name.Equals("Value", StringComparison.OrdinalIgnoreCase) && variableOwner is not null
                && _variables[variableOwner].Values.TryGetValue(value, out var mapped))
            {
                value = mapped;
            }

            headers.Add(new AmiHeader(name, value));
        }

        if (message.Kind == AmiMessageKind.Response && message.ActionId is null && clientActionId is not null)
        {
            headers.Insert(1, new AmiHeader("ActionID", clientActionId));
        }

        return AmiMessage.Create(headers, message.Output.Count > 0 && !message.Contains("Output") ? message.Output : null);
    }

    private string RewriteVariable(string value, out string? owner)
    {
        owner = null;
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? value : value[..equals];
        if (!_variables.TryGetValue(name, out var entry))
        {
            return value;
        }

        if (equals < 0)
        {
            owner = name;
            return entry.Name;
        }

        var old = value[(equals + 1)..];
        return entry.Name + "=" + entry.Values.GetValueOrDefault(old, old);
    }

    private static (string Name, string Value) Split(string variable)
    {
        var equals = variable.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (variable, string.Empty) : (variable[..equals], variable[(equals + 1)..]);
    }
}
