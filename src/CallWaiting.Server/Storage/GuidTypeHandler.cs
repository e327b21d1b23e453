using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CallWaiting.Server.Storage;

/// <summary>Guid as uuid on PostgreSQL and as lower-case canonical TEXT on SQLite.</summary>
internal sealed class GuidTypeHandler : SqlMapper.TypeHandler<Guid>
{
    public override void SetValue(IDbDataParameter parameter, Guid value)
    {
        if (parameter is SqliteParameter)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.ToString("D");
        }
        else
        {
            parameter.DbType = DbType.Guid;
            parameter.Value = value;
        }
    }

    public override Guid Parse(object value) => value switch
    {
        Guid guid => guid,
        string text => Guid.Parse(text),
        byte[] { Length: 16 } bytes => new Guid(bytes),
        _ => throw new DataException($"Cannot read a Guid from a {value.GetType().Name} column value."),
    };
}
