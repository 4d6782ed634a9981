namespace Obelus.Reactive.Hosting.Configuration;

/// <summary>The names registered in one service collection, in registration order.</summary>
internal sealed class AmiConnectionNames
{
    private readonly List<string> _names = [];

    public IReadOnlyList<string> Names => _names;

    public bool Add(string name)
    {
        if (_names.Contains(name, StringComparer.Ordinal))
        {
            return false;
        }

        _names.Add(name);
        return true;
    }
}
