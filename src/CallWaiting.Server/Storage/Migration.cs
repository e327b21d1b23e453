namespace CallWaiting.Server.Storage;

/// <summary>One versioned schema step: an embedded NNN_name.sql file of one dialect.</summary>
/// <param name="Version">The NNN of the file name; migrations run in ascending order.</param>
/// <param name="Name">The file name's text after the version, e.g. "initial".</param>
/// <param name="Sql">The statements, run in one transaction.</param>
/// <param name="Checksum">Lower-case hex SHA-256 of the SQL, to detect edits of applied migrations.</param>
public sealed record Migration(int Version, string Name, string Sql, string Checksum);
