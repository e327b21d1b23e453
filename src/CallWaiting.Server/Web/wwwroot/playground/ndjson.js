// Reads an NDJSON response body line by line as it arrives (POST /v1/tts/stream-with-timestamps).

/** Yields each line of the body as a parsed object, as soon as the line is complete; `signal` cancels the body. */
export async function* readLines(body, signal) {
  const reader = body.pipeThrough(new TextDecoderStream(), { signal }).getReader();
  let pending = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      pending += value;
      let end;
      while ((end = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, end).trim();
        pending = pending.slice(end + 1);
        if (line) yield JSON.parse(line);
      }
    }
    if (pending.trim()) yield JSON.parse(pending);
  } finally {
    reader.releaseLock();
  }
}

/** Decodes base64 into bytes. */
export function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
