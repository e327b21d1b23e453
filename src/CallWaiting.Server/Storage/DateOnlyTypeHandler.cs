using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CallWaiting.Server.Storage;

/// <summary>DateOnly as date on PostgreSQL and as yyyy-MM-dd TEXT on SQLite.</summary>
internal sealed class DateOnlyTypeHandler : SqlMapper.TypeHandler<DateOnly>
{
    public override void SetValue(IDbDataParameter parameter, DateOnly value)
    {
        if (parameter is SqliteParameter)
        {
            parameter.DbType = DbType.String;
            parameter.Value = SqliteText.FormatDate(value);
        }
        else
        {
            parameter.DbType = DbType.Date;
            parameter.Value = value;
        }
    }

    public override DateOnly Parse(object value) => value switch
    {
        DateOnly date => date,
        DateTime dateTime => DateOnly.FromDateTime(dateTime),
        string text => SqliteText.ParseDate(text),
        _ => throw new DataException($"Cannot read a date from a {value.GetType().Name} column value."),
    };
}
