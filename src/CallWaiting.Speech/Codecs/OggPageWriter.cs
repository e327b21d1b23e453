using System.Buffers;
using System.Buffers.Binary;

namespace CallWaiting.Speech.Codecs;

/// <summary>
/// Packs the packets of one logical Ogg stream into pages (RFC 3533): lacing, continuation across pages,
/// granule positions, page sequence numbers and the page CRC.
/// </summary>
internal sealed class OggPageWriter
{
    private const int HeaderBytes = 27;
    private const int MaxSegments = 255;
    private const int MaxSegmentBytes = 255;
    private const byte FlagContinued = 0x01;
    private const byte FlagBeginOfStream = 0x02;
    private const byte FlagEndOfStream = 0x04;

    private readonly uint _serialNumber;
    private readonly byte[] _segments = new byte[MaxSegments];
    private readonly byte[] _body = new byte[MaxSegments * MaxSegmentBytes];
    private int _segmentCount;
    private int _bodyBytes;
    private uint _sequence;
    private long _granulePosition = -1;
    private bool _continued;
    private bool _ended;

    public OggPageWriter(uint serialNumber)
    {
        _serialNumber = serialNumber;
    }

    /// <summary>Packets that end on the page being filled.</summary>
    public int PendingPackets { get; private set; }

    /// <summary>Pages written so far.</summary>
    public uint PagesWritten => _sequence;

    /// <summary>The granule position of the last page written on which a packet ends (0 before any); a later page may not go below it.</summary>
    public long WrittenGranulePosition { get; private set; }

    /// <summary>
    /// Queues a packet whose last sample has <paramref name="granulePosition"/>. A packet too long for the page's
    /// segment table spills onto following pages, which are written to <paramref name="output"/> as they fill.
    /// </summary>
    public void AddPacket(ReadOnlySpan<byte> packet, long granulePosition, IBufferWriter<byte> output)
    {
        if (_ended) throw new InvalidOperationException("The Ogg stream has ended.");
        var started = false;
        while (true)
        {
            if (_segmentCount == MaxSegments)
            {
                WritePage(output, endOfStream: false);
                _continued = started;
            }
            // A segment shorter than 255 bytes (possibly empty) ends the packet.
            var length = Math.Min(packet.Length, MaxSegmentBytes);
            _segments[_segmentCount++] = (byte)length;
            packet[..length].CopyTo(_body.AsSpan(_bodyBytes));
            _bodyBytes += length;
            packet = packet[length..];
            started = true;
            if (length < MaxSegmentBytes) break;
        }
        _granulePosition = granulePosition;
        PendingPackets++;
    }

    /// <summary>Writes the page being filled, if it holds anything; <paramref name="endOfStream"/> marks it as the last page.</summary>
    public void Flush(IBufferWriter<byte> output, bool endOfStream = false)
    {
        if (_ended) throw new InvalidOperationException("The Ogg stream has ended.");
        if (_segmentCount == 0 && !endOfStream) return;
        WritePage(output, endOfStream);
        _ended = endOfStream;
    }

    private void WritePage(IBufferWriter<byte> output, bool endOfStream)
    {
        var pageBytes = HeaderBytes + _segmentCount + _bodyBytes;
        var page = output.GetSpan(pageBytes)[..pageBytes];
        var flags = (byte)((_continued ? FlagContinued : 0) | (_sequence == 0 ? FlagBeginOfStream : 0) | (endOfStream ? FlagEndOfStream : 0));
        "OggS"u8.CopyTo(page);
        page[4] = 0; // stream structure version
        page[5] = flags;
        BinaryPrimitives.WriteInt64LittleEndian(page[6..], _granulePosition);
        BinaryPrimitives.WriteUInt32LittleEndian(page[14..], _serialNumber);
        BinaryPrimitives.WriteUInt32LittleEndian(page[18..], _sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(page[22..], 0);
        page[26] = (byte)_segmentCount;
        _segments.AsSpan(0, _segmentCount).CopyTo(page[HeaderBytes..]);
        _body.AsSpan(0, _bodyBytes).CopyTo(page[(HeaderBytes + _segmentCount)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(page[22..], OggCrc.Compute(page));
        output.Advance(pageBytes);
        if (_granulePosition >= 0) WrittenGranulePosition = _granulePosition;

        _sequence++;
        _segmentCount = 0;
        _bodyBytes = 0;
        _continued = false;
        // A page on which no packet ends carries granule position -1.
        _granulePosition = -1;
        PendingPackets = 0;
    }
}
