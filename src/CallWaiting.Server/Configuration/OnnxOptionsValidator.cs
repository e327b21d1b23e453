using CallWaiting.Speech.Engines.Onnx;
using Microsoft.Extensions.Options;

namespace CallWaiting.Server.Configuration;

/// <summary>Validates the speech core's <see cref="OnnxOptions"/> at start-up, reporting every problem at once like <see cref="ValidatedOptionsValidator{TOptions}"/>.</summary>
internal sealed class OnnxOptionsValidator : IValidateOptions<OnnxOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OnnxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Problems() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
