using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace NeuroMesh.Tests.Support;

/// <summary>
/// What the unit tier (<c>[Trait("Tier", "Unit")]</c>, run by <c>./test.sh --fast</c>) may not touch, found by reading the IL
/// of a test class: its methods, the compiler's lambdas and state machines inside it, its base classes and fixtures, and
/// every method of this test assembly they call, transitively. Calls into the product or the framework are not followed:
/// they are judged by the type they land on.
/// </summary>
internal static class UnitTier
{
    /// <summary>The trait that marks the tier, as xunit filters it (<c>--filter "Tier=Unit"</c>).</summary>
    public const string Trait = "Tier";

    /// <summary>The trait's value.</summary>
    public const string Value = "Unit";

    /// <summary>Types (full names, or namespace prefixes ending in a dot) that start a cluster, a process, a database or a browser.</summary>
    private static readonly (string Prefix, string Why)[] Forbidden =
    [
        ("Orleans.TestingHost.", "starts a test cluster"),
        ("NeuroMesh.Hosting.EmbeddedCluster", "starts an embedded cluster"),
        ("System.Diagnostics.Process", "starts a process"),
        ("NeuroMesh.Tests.Silo.NodeProcess", "starts a node process"),
        ("Npgsql.", "opens PostgreSQL"),
        ("NeuroMesh.Persistence.PostgresDeltaLogStore", "opens PostgreSQL"),
        ("NeuroMesh.Persistence.SqliteDeltaLogStore", "opens a SQLite database"),
        ("Microsoft.Data.Sqlite.", "opens a SQLite database"),
        ("Microsoft.Playwright.", "drives a browser"),
        ("System.Net.Http.HttpClient", "talks HTTP"),
    ];

    /// <summary>
    /// Methods that start a host (a silo or a client connects to a cluster when its host starts; building one, to read
    /// its services, starts nothing): the declaring type's full name and the method's name.
    /// </summary>
    private static readonly (string Type, string Method)[] Starts =
    [
        ("Microsoft.Extensions.Hosting.IHost", "StartAsync"),
        ("Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions", "Start"),
        ("Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions", "StartAsync"),
        ("Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions", "Run"),
        ("Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions", "RunAsync"),
        ("Microsoft.Extensions.Hosting.IHostedService", "StartAsync"),
    ];

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>Whether <paramref name="type"/> carries the unit tier's trait.</summary>
    public static bool IsMarked(Type type)
        => type.GetCustomAttributesData().Any(a => a.AttributeType == typeof(TraitAttribute)
            && a.ConstructorArguments is [{ Value: Trait }, { Value: Value }]);

    /// <summary>The test classes of this assembly marked for the unit tier.</summary>
    public static IReadOnlyList<Type> MarkedClasses()
        => [.. typeof(UnitTier).Assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract && IsMarked(t)).OrderBy(t => t.FullName, StringComparer.Ordinal)];

    /// <summary>
    /// What <paramref name="testClass"/> reaches that the tier forbids, each as "what it reaches (why), via the method
    /// that reaches it"; empty when it starts nothing.
    /// </summary>
    public static IReadOnlyList<string> Violations(Type testClass)
    {
        ArgumentNullException.ThrowIfNull(testClass);
        var module = testClass.Module;
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<MethodBase>();
        var queue = new Queue<MethodBase>();
        var types = new HashSet<Type>();

        void AddType(Type type)
        {
            if (type.Module != module || !types.Add(type))
            {
                return;
            }

            Check(type, $"{testClass.Name} uses {type.Name}", found);
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                Enqueue(method);
            }

            foreach (var constructor in type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                Enqueue(constructor);
            }

            foreach (var nested in type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic))
            {
                AddType(nested);
            }

            if (type.BaseType is { } baseType)
            {
                AddType(baseType);
            }

            // Fixtures xunit builds for the class (IClassFixture<T>), and those of its [Collection] (ICollectionFixture<T>).
            foreach (var fixture in type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IClassFixture<>)))
            {
                Check(fixture.GetGenericArguments()[0], $"{testClass.Name}'s class fixture", found);
                AddType(fixture.GetGenericArguments()[0]);
            }

            foreach (var collection in type.GetCustomAttributesData().Where(a => a.AttributeType == typeof(CollectionAttribute)))
            {
                var name = collection.ConstructorArguments[0].Value as string;
                var definitions = module.Assembly.GetTypes().Where(t => t.GetCustomAttributesData()
                    .Any(a => a.AttributeType == typeof(CollectionDefinitionAttribute) && a.ConstructorArguments.Count > 0 && Equals(a.ConstructorArguments[0].Value, name)));
                foreach (var fixture in definitions.SelectMany(d => d.GetInterfaces()).Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICollectionFixture<>)))
                {
                    Check(fixture.GetGenericArguments()[0], $"{testClass.Name}'s collection '{name}' fixture", found);
                    AddType(fixture.GetGenericArguments()[0]);
                }
            }

            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                Check(field.FieldType, $"{type.Name}.{field.Name}", found);
            }
        }

        void Enqueue(MethodBase method)
        {
            if (method.Module != module || !seen.Add(method))
            {
                return;
            }

            queue.Enqueue(method);
            if (method.GetCustomAttribute<StateMachineAttribute>() is { } machine)
            {
                AddType(machine.StateMachineType);
            }
        }

        AddType(testClass);
        while (queue.TryDequeue(out var method))
        {
            foreach (var member in Referenced(method))
            {
                var via = $"{method.DeclaringType?.Name}.{method.Name}";
                switch (member)
                {
                    case MethodBase callee:
                        Check(callee.DeclaringType, via, found);
                        if (Starts.Any(s => s.Method == callee.Name && s.Type == callee.DeclaringType?.FullName))
                        {
                            found.Add($"{callee.DeclaringType!.FullName}.{callee.Name} (starts a host), via {via}");
                        }

                        if (callee is MethodInfo { IsGenericMethod: true } generic)
                        {
                            foreach (var argument in generic.GetGenericArguments())
                            {
                                Check(argument, via, found);
                            }
                        }

                        if (callee.DeclaringType is { } declaring && declaring.Module == module)
                        {
                            AddType(declaring);
                            Enqueue(callee);
                        }

                        break;
                    case FieldInfo field:
                        Check(field.DeclaringType, via, found);
                        Check(field.FieldType, via, found);
                        break;
                    case Type type:
                        Check(type, via, found);
                        AddType(type);
                        break;
                }
            }
        }

        return [.. found];
    }

    private static void Check(Type? type, string via, SortedSet<string> found)
    {
        if (type is null)
        {
            return;
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                Check(argument, via, found);
            }
        }

        if (type.HasElementType)
        {
            Check(type.GetElementType(), via, found);
            return;
        }

        var name = type.IsGenericType ? type.GetGenericTypeDefinition().FullName : type.FullName;
        if (name is null)
        {
            return;
        }

        foreach (var (prefix, why) in Forbidden)
        {
            if (prefix.EndsWith('.') ? name.StartsWith(prefix, StringComparison.Ordinal) : name == prefix || name.StartsWith(prefix + "`", StringComparison.Ordinal))
            {
                found.Add($"{name} ({why}), via {via}");
            }
        }
    }

    /// <summary>The methods, fields and types <paramref name="method"/>'s IL names.</summary>
    private static IEnumerable<MemberInfo> Referenced(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArguments = method is MethodInfo { IsGenericMethod: true } m ? m.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var value = (short)il[at++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[at++]);
            }

            var code = OpCodesByValue[value];
            switch (code.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, at);
                    at += 4;
                    if (Resolve(method.Module, token, typeArguments, methodArguments) is { } member)
                    {
                        yield return member;
                    }

                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                default: // InlineBrTarget, InlineI, InlineSig, InlineString, ShortInlineR
                    at += 4;
                    break;
            }
        }
    }

    private static MemberInfo? Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMember(token, typeArguments, methodArguments);
        }
        catch (ArgumentException)
        {
            try
            {
                return module.ResolveMember(token);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
    }
}
