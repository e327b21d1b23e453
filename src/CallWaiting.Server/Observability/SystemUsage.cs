using System.Globalization;

namespace CallWaiting.Server.Observability;

/// <summary>Whole-machine CPU and memory use read from /proc (Linux), sampled when Prometheus scrapes.</summary>
public sealed class SystemUsage
{
    private readonly Lock _gate = new();
    private (ulong Busy, ulong Total)? _previous;

    /// <summary>CPU busy percent since the previous call (since boot on the first), or null where /proc/stat is unreadable.</summary>
    public double? SampleCpuPercent()
    {
        var current = ReadCpuTimes();
        if (current is null) return null;
        lock (_gate)
        {
            var (busy, total) = current.Value;
            var (prevBusy, prevTotal) = _previous ?? (0UL, 0UL);
            _previous = current;
            var deltaTotal = total - prevTotal;
            return deltaTotal == 0 ? 0 : 100.0 * (busy - prevBusy) / deltaTotal;
        }
    }

    /// <summary>Memory in use ((MemTotal − MemAvailable) / MemTotal) in percent, or null where /proc/meminfo is unreadable.</summary>
    public static double? SampleMemoryPercent()
    {
        try
        {
            ulong total = 0, available = 0;
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal)) total = KiloBytes(line);
                else if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)) available = KiloBytes(line);
            }

            return total == 0 ? null : 100.0 * (total - Math.Min(available, total)) / total;
        }
        catch (IOException)
        {
            return null;
        }
    }

    // The first line of /proc/stat: "cpu user nice system idle iowait irq softirq steal ..."; idle + iowait are not busy.
    private static (ulong Busy, ulong Total)? ReadCpuTimes()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var fields = reader.ReadLine()?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields is null || fields.Length < 5 || fields[0] != "cpu") return null;
            ulong total = 0, idle = 0;
            for (var i = 1; i < Math.Min(fields.Length, 9); i++)
            {
                var value = ulong.Parse(fields[i], CultureInfo.InvariantCulture);
                total += value;
                if (i is 4 or 5) idle += value;
            }

            return (total - idle, total);
        }
        catch (Exception e) when (e is IOException or FormatException or OverflowException)
        {
            return null;
        }
    }

    private static ulong KiloBytes(string line) =>
        ulong.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
