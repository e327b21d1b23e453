using System.Text;

namespace CallWaiting.Benchmarks;

/// <summary>A Markdown table printed as results come in.</summary>
internal sealed class Table(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public void Add(params object[] cells) => _rows.Add([.. cells.Select(c => c switch
    {
        double d => d.ToString(d >= 100 ? "0" : d >= 10 ? "0.0" : "0.00"),
        _ => c.ToString() ?? "",
    })]);

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| " + string.Join(" | ", headers) + " |");
        sb.AppendLine("|" + string.Concat(headers.Select(_ => "---|")));
        foreach (var row in _rows) sb.AppendLine("| " + string.Join(" | ", row) + " |");
        return sb.ToString();
    }
}
