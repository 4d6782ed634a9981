using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Obelus.Reactive.Tests.Calls;

/// <summary>Counts the distinct objects reachable from a root, by type, through every instance field.</summary>
internal static class ObjectGraph
{
    /// <summary>Objects reachable from <paramref name="root"/>, loggers and what they hold left out.</summary>
    public static Dictionary<Type, int> CountByType(object root)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object>();
        var counts = new Dictionary<Type, int>();
        pending.Push(root);
        while (pending.TryPop(out var item))
        {
            if (item is ILogger || !seen.Add(item))
            {
                continue;
            }

            var type = item.GetType();
            counts[type] = counts.GetValueOrDefault(type) + 1;
            if (item is Array array)
            {
                var element = type.GetElementType()!;
                if (!element.IsPrimitive)
                {
                    foreach (var value in array)
                    {
                        PushReferences(value, pending);
                    }
                }

                continue;
            }

            PushFields(item, pending);
        }

        return counts;
    }

    private static void PushReferences(object? value, Stack<object> pending)
    {
        if (value is null)
        {
            return;
        }

        if (value.GetType().IsValueType)
        {
            // A boxed copy of a struct element or field: its own fields are what it refers to.
            PushFields(value, pending);
            return;
        }

        pending.Push(value);
    }

    private static void PushFields(object item, Stack<object> pending)
    {
        for (var type = item.GetType(); type is not null; type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (!field.FieldType.IsPrimitive && !field.FieldType.IsPointer && !field.FieldType.IsEnum)
                {
                    PushReferences(field.GetValue(item), pending);
                }
            }
        }
    }
}
