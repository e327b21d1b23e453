// "Speak": POST /v1/tts/stream-with-timestamps with the choices, asking for a WAV stream (16-bit PCM after a header,
// which the page decodes itself as it arrives) at the chosen rate, and plays each line's audio at once while its
// words are highlighted. Why not the chosen format: mp3, opus and flac pieces cannot be decoded one by one with Web
// Audio (decodeAudioData wants whole files), and MediaSource takes no Ogg, FLAC or raw PCM and carries no
// timestamps; the download and the snippets use the chosen format.

import { api } from "/js/api.js";
import { fromBase64, readLines } from "./ndjson.js";
import { StreamPlayer } from "./player.js";
import { ttsBody } from "./snippets.js";
import { WordHighlighter } from "./words.js";

let context = null;
let highlighter = null;

/**
 * Speaks `choices` (rate null: `defaultRate`, the chosen format's own default); `report.announce(message)` and
 * `report.fail(error)` tell the user. Returns {stop(), done}: done resolves when playback ended or failed.
 * Call it from the click handler: the AudioContext may only start playing from a user's gesture.
 */
export function speak(choices, defaultRate, report) {
  context ??= new AudioContext();
  highlighter ??= new WordHighlighter(document.getElementById("words"));
  context.resume();
  highlighter.reset();
  const player = new StreamPlayer(context);
  const abort = new AbortController();
  const body = { ...ttsBody(choices), format: "wav", stream: true };
  const rate = choices.sampleRate ?? defaultRate;
  if (rate) body.sample_rate = rate;
  else delete body.sample_rate;

  const done = (async () => {
    try {
      report.announce("Synthesizing…");
      const response = await api("/v1/tts/stream-with-timestamps", { method: "POST", body, accept: "application/x-ndjson" });
      // Stopping cancels the body, so the server stops synthesizing (and charges only what was sent).
      if (abort.signal.aborted) await response.body.cancel();
      let first = true;
      for await (const line of readLines(response.body, abort.signal)) {
        if (line.error) throw new Error(line.error.detail);
        if (line.sample_rate) player.sampleRate = line.sample_rate;
        player.push(fromBase64(line.audio_base64));
        highlighter.add(line.words);
        if (first) {
          first = false;
          highlighter.follow(player);
          report.announce("Playing…");
        }
        if (line.done) report.announce(`Playing ${(line.duration_ms / 1000).toFixed(1)} s of audio…`);
      }
      player.finish();
      await player.ended;
      report.announce(abort.signal.aborted ? "Stopped." : "Finished playing.");
    } catch (e) {
      player.stop();
      if (abort.signal.aborted) report.announce("Stopped.");
      else report.fail(e);
    }
  })();

  return {
    done,
    stop() {
      abort.abort();
      player.stop();
    },
  };
}
