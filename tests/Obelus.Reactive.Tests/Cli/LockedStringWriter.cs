using System.Text;

namespace Obelus.Reactive.Tests.Cli;

/// <summary>A StringWriter that a command may write on one thread while a test reads it on another.</summary>
internal sealed class LockedStringWriter : StringWriter
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the first write after it was read: a reader waits for output instead of polling.</summary>
    public Task NextWrite
    {
        get
        {
            lock (_gate)
            {
                return _written.Task;
            }
        }
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            base.Write(value);
        }

        Signal();
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_gate)
        {
            base.Write(buffer, index, count);
        }

        Signal();
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_gate)
        {
            base.Write(buffer);
        }

        Signal();
    }

    public override void Write(string? value)
    {
        lock (_gate)
        {
            base.Write(value);
        }

        Signal();
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            base.Write(value);
            base.Write(CoreNewLine);
        }

        Signal();
    }

    public override void WriteLine(ReadOnlySpan<char> buffer)
    {
        lock (_gate)
        {
            base.Write(buffer);
            base.Write(CoreNewLine);
        }

        Signal();
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override void Write(StringBuilder? value)
    {
        lock (_gate)
        {
            base.Write(value);
        }

        Signal();
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return base.ToString();
        }
    }

    private void Signal()
    {
        TaskCompletionSource written;
        lock (_gate)
        {
            written = _written;
            _written = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        written.TrySetResult();
    }
}
