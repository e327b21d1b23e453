using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CallWaiting.Server.Storage;

/// <summary>DateTimeOffset as timestamptz (UTC) on PostgreSQL and as fixed-width ISO-8601 TEXT on SQLite.</summary>
internal sealed class TimestampTypeHandler : SqlMapper.TypeHandler<DateTimeOffset>
{
    public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
    {
        if (parameter is SqliteParameter)
        {
            parameter.DbType = DbType.String;
            parameter.Value = SqliteText.FormatTimestamp(value);
        }
        else
        {
            // Npgsql only writes offset-zero DateTimeOffsets to timestamptz.
            parameter.DbType = DbType.DateTimeOffset;
            parameter.Value = value.ToUniversalTime();
        }
    }

    public override DateTimeOffset Parse(object value) => value switch
    {
        DateTimeOffset instant => instant.ToUniversalTime(),
        DateTime dateTime => new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc)),
        string text => SqliteText.ParseTimestamp(text),
        _ => throw new DataException($"Cannot read a timestamp from a {value.GetType().Name} column value."),
    };
}
