using Microsoft.Extensions.DependencyInjection;

namespace Governance.Grains.Tests.Infrastructure;

/// <summary>Wraps the last keyed registration of a service in a decorator.</summary>
public static class ServiceCollectionDecoration
{
    public static IServiceCollection DecorateKeyed<TService>(
        this IServiceCollection services, object key, Func<IServiceProvider, TService, TService> decorate)
        where TService : class
    {
        var registered = services.Last(d => d.ServiceType == typeof(TService) && d.IsKeyedService && Equals(d.ServiceKey, key));
        services.Remove(registered);
        services.AddKeyedSingleton<TService>(key, (sp, serviceKey) => decorate(sp, (TService)Create(sp, registered, serviceKey)));
        return services;
    }

    private static object Create(IServiceProvider services, ServiceDescriptor registered, object? key) =>
        registered.KeyedImplementationInstance
        ?? registered.KeyedImplementationFactory?.Invoke(services, key)
        ?? ActivatorUtilities.CreateInstance(services, registered.KeyedImplementationType!);
}
