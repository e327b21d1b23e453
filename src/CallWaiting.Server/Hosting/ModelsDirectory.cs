using CallWaiting.Server.Storage;

namespace CallWaiting.Server.Hosting;

/// <summary>Where the neural voice files live: CALLWAITING_MODELS_DIR, else the data folder's <c>models</c>.</summary>
public static class ModelsDirectory
{
    /// <summary>The environment variable that names the folder.</summary>
    public const string Variable = "CALLWAITING_MODELS_DIR";

    /// <summary>The models folder, as a full path, for a data folder (<see cref="StorageOptions.DataDirectory"/>).</summary>
    public static string Resolve(string dataDirectory, Func<string, string?>? getVariable = null)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        var configured = (getVariable ?? Environment.GetEnvironmentVariable)(Variable);
        return Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? Path.Combine(dataDirectory, "models") : configured);
    }

    /// <summary>The models folder from the environment alone (CALLWAITING_MODELS_DIR, else CALLWAITING_DATA_DIR's), for the CLI.</summary>
    public static string FromEnvironment()
    {
        var data = Environment.GetEnvironmentVariable(StorageOptions.DataDirectoryVariable);
        return Resolve(string.IsNullOrWhiteSpace(data) ? StorageOptions.DefaultDataDirectory : data);
    }
}
