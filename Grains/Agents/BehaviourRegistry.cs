using Microsoft.Extensions.DependencyInjection;

namespace NeuroMesh.Agents;

/// <summary>
/// Binds behaviour names (as a <c>NeuronGrain</c> stores them) to behaviour types or factories, and creates behaviours
/// by name. Names are case-insensitive. Thread-safe.
/// </summary>
public sealed class BehaviourRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Func<IServiceProvider?, INeuronBehaviour>> _factories = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Registered names, in ordinal order.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_lock)
            {
                return [.. _factories.Keys.Order(StringComparer.OrdinalIgnoreCase)];
            }
        }
    }

    /// <summary>Registers <typeparamref name="TBehaviour"/> under <paramref name="name"/>; it is built with its services when a provider is given.</summary>
    /// <exception cref="ArgumentException">The name is invalid or already registered.</exception>
    public BehaviourRegistry Register<TBehaviour>(string name)
        where TBehaviour : class, INeuronBehaviour
        => Register(name, typeof(TBehaviour));

    /// <summary>Registers a behaviour type under <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is invalid or taken, or the type is not a concrete <see cref="INeuronBehaviour"/>.</exception>
    public BehaviourRegistry Register(string name, Type behaviourType)
    {
        ArgumentNullException.ThrowIfNull(behaviourType);
        if (!typeof(INeuronBehaviour).IsAssignableFrom(behaviourType) || behaviourType.IsAbstract || behaviourType.IsInterface || behaviourType.ContainsGenericParameters)
        {
            throw new ArgumentException($"Behaviour '{name}': {behaviourType.FullName} is not a concrete class that implements {nameof(INeuronBehaviour)}.", nameof(behaviourType));
        }

        return Register(name, services => services is null
            ? (INeuronBehaviour)Activator.CreateInstance(behaviourType)!
            : (INeuronBehaviour)ActivatorUtilities.CreateInstance(services, behaviourType));
    }

    /// <summary>Registers a factory under <paramref name="name"/>; it receives the service provider passed to <see cref="Create"/>.</summary>
    /// <exception cref="ArgumentException">The name is invalid or already registered.</exception>
    public BehaviourRegistry Register(string name, Func<IServiceProvider?, INeuronBehaviour> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ValidateName(name);
        lock (_lock)
        {
            if (!_factories.TryAdd(name, factory))
            {
                throw new ArgumentException($"A behaviour named '{name}' is already registered.", nameof(name));
            }
        }

        return this;
    }

    /// <summary>True when <paramref name="name"/> is registered.</summary>
    public bool Contains(string name)
    {
        lock (_lock)
        {
            return _factories.ContainsKey(name);
        }
    }

    /// <summary>Creates the behaviour registered under <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No behaviour has that name; the message lists the registered names.</exception>
    /// <exception cref="InvalidOperationException">The factory failed or returned null.</exception>
    public INeuronBehaviour Create(string name, IServiceProvider? services = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        Func<IServiceProvider?, INeuronBehaviour>? factory;
        lock (_lock)
        {
            _factories.TryGetValue(name, out factory);
        }

        if (factory is null)
        {
            var known = Names;
            throw new KeyNotFoundException($"No behaviour is registered as '{name}'. Registered: {(known.Count == 0 ? "none" : string.Join(", ", known))}.");
        }

        try
        {
            return factory(services) ?? throw new InvalidOperationException($"The factory of behaviour '{name}' returned null.");
        }
        catch (Exception e) when (e is not InvalidOperationException)
        {
            throw new InvalidOperationException($"Creating behaviour '{name}' failed: {e.Message}", e);
        }
    }

    private static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Length > 128 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException($"Behaviour name '{name}' must be 1 to 128 characters with no whitespace.", nameof(name));
        }
    }
}
