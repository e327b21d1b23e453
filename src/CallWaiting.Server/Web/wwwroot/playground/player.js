// Plays a WAV stream through Web Audio as its pieces arrive: each block of samples becomes an AudioBuffer scheduled
// right after the previous one, so playback starts with the first piece instead of the whole file. The player keeps
// where each block landed on the AudioContext's clock, so a word's start in the audio maps to the moment it is heard,
// gaps from a late piece included.

import { WavStreamDecoder } from "./pcm.js";

// Scheduling slightly ahead of "now" keeps the first block from being cut by the time it takes to start.
const LEAD_SECONDS = 0.05;

/** One utterance's playback on a shared AudioContext. */
export class StreamPlayer {
  #context;
  #decoder = new WavStreamDecoder();
  #sampleRate = 0;
  #samples = 0;
  #next = 0;
  #blocks = [];
  #sources = new Set();
  #finished = false;
  #ended;
  #resolveEnded;

  /** Starts an utterance; create it in the click handler, so the context may start playing. */
  constructor(context) {
    this.#context = context;
    this.#ended = new Promise((resolve) => (this.#resolveEnded = resolve));
  }

  /** Resolves when everything scheduled has played (or playback was stopped). */
  get ended() {
    return this.#ended;
  }

  /** Seconds of audio received so far. */
  get seconds() {
    return this.#sampleRate ? this.#samples / this.#sampleRate : 0;
  }

  /** Sets the stream's sample rate (from its first line). */
  set sampleRate(rate) {
    this.#sampleRate = rate;
  }

  /** Decodes and schedules a piece of the WAV stream. */
  push(bytes) {
    const samples = this.#decoder.push(bytes);
    if (samples.length === 0 || !this.#sampleRate) return;
    const buffer = new AudioBuffer({ length: samples.length, numberOfChannels: 1, sampleRate: this.#sampleRate });
    buffer.copyToChannel(samples, 0);
    const source = new AudioBufferSourceNode(this.#context, { buffer });
    source.connect(this.#context.destination);
    const at = Math.max(this.#next, this.#context.currentTime + LEAD_SECONDS);
    this.#blocks.push({ sample: this.#samples, time: at });
    source.start(at);
    this.#sources.add(source);
    source.addEventListener("ended", () => {
      this.#sources.delete(source);
      this.#settle();
    });
    this.#samples += samples.length;
    this.#next = at + buffer.duration;
  }

  /** Says no more audio will come; `ended` resolves once the last block has played. */
  finish() {
    this.#finished = true;
    this.#settle();
  }

  /** Stops at once. */
  stop() {
    this.#finished = true;
    for (const source of this.#sources) source.stop();
    this.#sources.clear();
    this.#resolveEnded();
  }

  /** The AudioContext time at which the audio's millisecond `ms` is heard, or null when it has not arrived. */
  timeOf(ms) {
    const sample = (ms / 1000) * this.#sampleRate;
    let block = null;
    for (const b of this.#blocks) {
      if (b.sample > sample) break;
      block = b;
    }
    return block && block.time + (sample - block.sample) / this.#sampleRate;
  }

  /** The AudioContext's current time. */
  get now() {
    return this.#context.currentTime;
  }

  #settle() {
    if (this.#finished && this.#sources.size === 0) this.#resolveEnded();
  }
}
