using System.Runtime.InteropServices;
using System.Text;

namespace CallWaiting.Speech.Engines.Flite;

/// <summary>NUL-terminated UTF-8 names handed to flite, allocated once and never freed.</summary>
/// <remarks>
/// flite stores the <c>name</c> pointer of a newly added feature (and of a registered language) rather than a copy,
/// so these strings must outlive every voice, i.e. the process.
/// </remarks>
internal static unsafe class FliteNames
{
    public static readonly byte* DurationStretch = Allocate("duration_stretch");
    public static readonly byte* F0Shift = Allocate("f0_shift");
    public static readonly byte* SampleRate = Allocate("sample_rate");
    public static readonly byte* StreamingInfo = Allocate("streaming_info");
    public static readonly byte* Name = Allocate("name");
    public static readonly byte* Empty = Allocate("");
    public static readonly byte* WordRelation = Allocate("Word");
    public static readonly byte* WordStart = Allocate("R:SylStructure.daughter1.daughter1.R:Segment.p.end");
    public static readonly byte* WordEnd = Allocate("R:SylStructure.daughtern.daughtern.R:Segment.end");
    public static readonly byte* LangEng = Allocate("eng");
    public static readonly byte* LangUsEnglish = Allocate("usenglish");

    private static byte* Allocate(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var memory = (byte*)NativeMemory.Alloc((nuint)length + 1);
        Encoding.UTF8.GetBytes(value, new Span<byte>(memory, length));
        memory[length] = 0;
        return memory;
    }
}
