using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Configuration;

/// <summary>Validates an <see cref="IValidatedOptions"/> section for the options pattern, reporting every problem at once.</summary>
public sealed class ValidatedOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class, IValidatedOptions
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
