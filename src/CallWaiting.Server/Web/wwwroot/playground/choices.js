// The form's pickers, filled from the server (GET /v1/tts/limits, GET /v1/voices), and the choices they make.
// Rules (the text limit, speed range, rates a format takes) come from the server, never from a copy here.

// Rates offered for formats that take any rate in the server's range.
const COMMON_RATES = [8000, 16000, 22050, 24000, 44100, 48000];

const element = (id) => document.getElementById(id);

/** The playground's form controls. */
export class Choices {
  #limits = null;
  #voiceFromList = true;

  /** Fills the format and speed pickers and the text limit from GET /v1/tts/limits. */
  setLimits(limits) {
    this.#limits = limits;
    const format = element("format");
    format.replaceChildren(...limits.formats.map((f) => option(f.name, f.name)));
    format.value = limits.formats.some((f) => f.name === "mp3") ? "mp3" : limits.formats[0].name;
    const speed = element("speed");
    speed.min = String(limits.speed.min);
    speed.max = String(limits.speed.max);
    element("speed-range").textContent = `${limits.speed.min} to ${limits.speed.max}`;
    this.#fillRates();
    this.countText();
  }

  /** Lists the voices in the picker; with none (a key without voices:read), the voice is typed instead. */
  setVoices(voices) {
    const select = element("voice");
    const typed = element("voice-typed");
    this.#voiceFromList = voices.length > 0;
    select.hidden = !this.#voiceFromList;
    select.disabled = !this.#voiceFromList;
    typed.hidden = this.#voiceFromList;
    typed.disabled = this.#voiceFromList;
    element("voice-help").hidden = this.#voiceFromList;
    element("voice-label").htmlFor = this.#voiceFromList ? "voice" : "voice-typed";
    select.replaceChildren(...voices.map((v) => option(v.slug, `${v.display_name} (${v.language}${v.gender ? ", " + v.gender : ""})`)));
    if (voices.some((v) => v.slug === "emily-en-us")) select.value = "emily-en-us";
  }

  /** Refills the sample rates when the format changes: only the rates that format takes. */
  formatChanged() {
    this.#fillRates();
  }

  /** Updates the character count; returns whether the text is within the limit. */
  countText() {
    const count = [...element("text").value].length;
    const max = this.#limits?.max_text_length;
    const counter = element("text-count");
    counter.textContent = max ? `${count} / ${max} characters` : `${count} characters`;
    const over = max !== undefined && count > max;
    counter.classList.toggle("over", over);
    element("text").setAttribute("aria-invalid", String(over));
    return !over;
  }

  /** The file extension of the chosen format. */
  get extension() {
    return this.#format()?.file_extension ?? element("format").value;
  }

  /** The current choices: {text, ssml, voice, format, speed, sampleRate (null: the format's default)}. */
  read() {
    const rate = element("rate").value;
    return {
      text: element("text").value,
      ssml: element("ssml").checked,
      voice: (this.#voiceFromList ? element("voice").value : element("voice-typed").value).trim(),
      format: element("format").value,
      speed: Number(element("speed").value) || 1,
      sampleRate: rate ? Number(rate) : null,
    };
  }

  /** The rate the chosen format plays at when none is chosen (null: the voice's own rate). */
  get defaultRate() {
    return this.#format()?.default_sample_rate ?? null;
  }

  #format() {
    return this.#limits?.formats.find((f) => f.name === element("format").value);
  }

  #fillRates() {
    const select = element("rate");
    const previous = select.value;
    const format = this.#format();
    const range = this.#limits.sample_rate;
    const rates = format.sample_rates.length ? format.sample_rates : COMMON_RATES.filter((r) => r >= range.min && r <= range.max);
    const byDefault = format.default_sample_rate ? `${format.default_sample_rate} Hz` : "the voice's rate";
    select.replaceChildren(option("", `Default (${byDefault})`), ...rates.map((r) => option(String(r), `${r} Hz`)));
    if (rates.includes(Number(previous))) select.value = previous;
  }
}

function option(value, text) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = text;
  return o;
}
