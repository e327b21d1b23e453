using Dapper;

namespace CallWaiting.Server.Storage;

/// <summary>
/// Registers the Dapper handlers that let one repository SQL text serve both engines: PostgreSQL gets native
/// uuid/timestamptz/date values, SQLite gets canonical TEXT (so equality and ordering work on strings).
/// </summary>
public static class SqlTypeHandlers
{
    private static int _registered;

    /// <summary>Registers the handlers once per process (idempotent, thread-safe).</summary>
    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        // Dapper consults its built-in type map before custom handlers, so these types must leave it first.
        SqlMapper.RemoveTypeMap(typeof(Guid));
        SqlMapper.RemoveTypeMap(typeof(Guid?));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.RemoveTypeMap(typeof(DateOnly));
        SqlMapper.RemoveTypeMap(typeof(DateOnly?));
        SqlMapper.AddTypeHandler(new GuidTypeHandler());
        SqlMapper.AddTypeHandler(new TimestampTypeHandler());
        SqlMapper.AddTypeHandler(new DateOnlyTypeHandler());
    }
}
