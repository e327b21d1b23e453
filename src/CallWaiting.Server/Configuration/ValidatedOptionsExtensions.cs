using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Configuration;

/// <summary>Registers and checks <see cref="IValidatedOptions"/> sections.</summary>
public static class ValidatedOptionsExtensions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to the configuration section <paramref name="section"/> (so also to
    /// CALLWAITING_&lt;Section&gt;__&lt;Name&gt;) and validates it when the host starts, failing start-up with its problems.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class, IValidatedOptions
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, ValidatedOptionsValidator<TOptions>>());
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>
    /// Throws <see cref="ArgumentOutOfRangeException"/> naming every problem, for components built without the host
    /// (tests, the command line) that must refuse the same settings start-up refuses.
    /// </summary>
    public static T ThrowIfInvalid<T>(this T options, string paramName)
        where T : IValidatedOptions
    {
        ArgumentNullException.ThrowIfNull(options, paramName);
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? options : throw new ArgumentOutOfRangeException(paramName, string.Join(" ", problems));
    }
}
