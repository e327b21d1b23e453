using CallWaiting.Speech.Codecs;

namespace CallWaiting.Speech.Tests.Support;

/// <summary>A private temporary folder for the files a test hands to the reference tools; deleted on dispose.</summary>
internal sealed class TempFiles : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("callwaiting-tests-").FullName;
    private int _counter;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A fresh path in the folder with the given extension; nothing is created.</summary>
    public string NewPath(string extension) =>
        Path.Combine(_folder, $"f{Interlocked.Increment(ref _counter)}.{extension}");

    /// <summary>Writes <paramref name="bytes"/> to a fresh file named for the format.</summary>
    public string Save(byte[] bytes, AudioFormat format)
    {
        var path = NewPath(AudioFormats.FileExtension(format));
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
