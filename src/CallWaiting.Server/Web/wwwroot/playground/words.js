// The words as spoken (the server's timestamps: "42" is spoken "forty two"), one span each, highlighted in turn
// while the audio plays: the word being heard is "current", those before it "spoken".

/** Highlights words against a StreamPlayer's clock. */
export class WordHighlighter {
  #panel;
  #words = [];
  #current = -1;
  #frame = 0;
  #player = null;

  constructor(panel) {
    this.#panel = panel;
  }

  /** Empties the panel for a new utterance. */
  reset() {
    cancelAnimationFrame(this.#frame);
    this.#player = null;
    this.#panel.replaceChildren();
    this.#words = [];
    this.#current = -1;
  }

  /** Adds words ({word, start_ms, end_ms}) as the stream delivers them. */
  add(words) {
    for (const word of words) {
      const span = document.createElement("span");
      span.className = "word";
      span.textContent = word.word;
      this.#panel.append(span, " ");
      this.#words.push({ ...word, span });
    }
  }

  /** Follows `player` until it ends, moving the highlight with the audio. */
  follow(player) {
    this.#player = player;
    const step = () => {
      this.#update(player);
      this.#frame = requestAnimationFrame(step);
    };
    this.#frame = requestAnimationFrame(step);
    player.ended.then(() => {
      // A stopped utterance ends after the next one has taken the panel.
      if (this.#player !== player) return;
      cancelAnimationFrame(this.#frame);
      this.#update(player, true);
    });
  }

  #update(player, done = false) {
    let heard = -1;
    for (let i = 0; i < this.#words.length; i++) {
      const at = player.timeOf(this.#words[i].start_ms);
      if (at === null || at > player.now) break;
      heard = i;
    }
    if (done) heard = this.#words.length;
    if (heard === this.#current) return;
    for (let i = Math.max(0, this.#current); i < this.#words.length && i <= heard; i++) {
      const span = this.#words[i].span;
      span.classList.toggle("current", i === heard);
      span.classList.toggle("spoken", i < heard);
    }
    this.#current = heard;
  }
}
