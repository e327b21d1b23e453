namespace CallWaiting.Server.Storage;

/// <summary>The schema cannot be migrated safely (e.g. an applied migration was edited afterwards).</summary>
public sealed class MigrationException : Exception
{
    /// <summary>Creates the exception with a message for the operator.</summary>
    public MigrationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception wrapping the failure of one migration.</summary>
    public MigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
