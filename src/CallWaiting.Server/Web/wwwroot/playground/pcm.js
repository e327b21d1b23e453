// Turns the bytes of a streamed WAV (header, then 16-bit little-endian PCM) into float samples as they arrive.
// The stream's header says "length unknown", so the data chunk simply runs to the end of the stream.

/** An incremental WAV reader: push() bytes in any split, get back the whole samples they complete. */
export class WavStreamDecoder {
  #header = new Uint8Array(0);
  #inData = false;
  #odd = null;

  /** The samples (Float32Array, mono) completed by these bytes; empty while the header is still arriving. */
  push(bytes) {
    if (!this.#inData) {
      bytes = this.#skipHeader(bytes);
      if (!bytes) return new Float32Array(0);
    }
    if (this.#odd !== null) {
      const joined = new Uint8Array(bytes.length + 1);
      joined[0] = this.#odd;
      joined.set(bytes, 1);
      bytes = joined;
      this.#odd = null;
    }
    const count = bytes.length >> 1;
    if (bytes.length & 1) this.#odd = bytes[bytes.length - 1];
    const view = new DataView(bytes.buffer, bytes.byteOffset, count * 2);
    const samples = new Float32Array(count);
    for (let i = 0; i < count; i++) samples[i] = view.getInt16(i * 2, true) / 32768;
    return samples;
  }

  // Collects header bytes until the "data" chunk starts; returns the bytes after it, or null while more are needed.
  #skipHeader(bytes) {
    const all = new Uint8Array(this.#header.length + bytes.length);
    all.set(this.#header);
    all.set(bytes, this.#header.length);
    this.#header = all;
    const view = new DataView(all.buffer);
    const tag = (at) => String.fromCharCode(...all.subarray(at, at + 4));
    if (all.length < 12) return null;
    if (tag(0) !== "RIFF" || tag(8) !== "WAVE") throw new Error("The stream is not a WAV file.");
    let at = 12;
    while (at + 8 <= all.length) {
      const size = view.getUint32(at + 4, true);
      if (tag(at) === "data") {
        this.#inData = true;
        this.#header = new Uint8Array(0);
        return all.subarray(at + 8);
      }
      at += 8 + size + (size & 1);
    }
    return null;
  }
}
