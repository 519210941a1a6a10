"""The text prepared for the ear, measured by ear: a chapter of a real novel spoken by our espeak engine
and recognised by pocketsphinx (offline), before and after the rules of audiobook/ear.py, scored
against the words a listener should hear. Also counts, over the whole book, the lines each rule touches.

    pip install -e '.[bench]'                  (pocketsphinx; not a dependency of the program)
    python -m bench.asr BOOK.txt [--chapter N] [--voice gmw/en-us]

The reference is the chapter's text as the rules write it for the ear (1814 "eighteen fourteen", £5
"five pounds", Henry VIII "Henry the Eighth", Capt. "Captain"), with the numbers left to the engine
written out as it says them ("one thousand eight hundred and fourteen"), lower case, without
punctuation. The recogniser's language model is a trigram model of that reference (as pocketsphinx
allows: the expected text is known), the same for both runs; its dictionary is pocketsphinx's CMU
dictionary plus, for a word it lacks (mostly names), espeak-ng's own pronunciation (bench/lexicon.py).
Each line is one utterance: spoken at the engine's rate, resampled to 16 kHz by ffmpeg, a faint fixed
noise floor added (see with_room_tone), decoded. Before and after go through the same pipeline; only
the text given to the engine differs. A line the rules leave alone is spoken and recognised once and
counts the same in both runs. The book's text is given by path and never stored here.
"""

from __future__ import annotations

import argparse
import math
import re
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

from audiobook.ear import RULES
from audiobook.engines.espeak import EspeakEngine
from audiobook.ffmpeg import ffmpeg_exe
from audiobook.ingest import load_book
from audiobook.model import Chapter, VoiceSpec
from audiobook.parse import parse_book
from audiobook.speech import speakable
from bench.lexicon import espeak_pronunciations

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen".split()
_ONES += "sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINAL_WORDS = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth"}
_ORDINAL_WORDS |= {"nine": "ninth", "twelve": "twelfth"}


def cardinal(n: int) -> list[str]:
    """`n` in words as espeak-ng (British style) says it: 1814 "one thousand eight hundred and fourteen"."""
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        return [_TENS[n // 10]] + ([_ONES[n % 10]] if n % 10 else [])
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand"), (100, "hundred")):
        if n >= size:
            head, rest = divmod(n, size)
            tail = [] if not rest else (["and"] if rest < 100 else []) + cardinal(rest)
            return cardinal(head) + [name] + tail
    return []


_TOKEN = re.compile(r"\d[\d,]*(?:st|nd|rd|th)?|[^\W\d_]+(?:['\u2019][^\W\d_]+)*")  # letters: Dantès is one word
_SAID = {"mr": "mister", "mrs": "missus", "dr": "doctor", "st": "saint", "etc": "etcetera"}


def ordinal(n: int) -> list[str]:
    """`n` as an ordinal in words, as espeak-ng says "28th": "twenty eighth"."""
    words = cardinal(n)
    last = words[-1]
    if last in _ORDINAL_WORDS:
        words[-1] = _ORDINAL_WORDS[last]
    else:
        words[-1] = last[:-1] + "ieth" if last.endswith("y") else last + "th"
    return words


def reference_words(spoken: str) -> list[str]:
    """The words a listener should hear for the engine's text `spoken`."""
    words: list[str] = []
    for tok in _TOKEN.findall(spoken.lower().replace("-", " ")):
        if tok[0].isdigit():
            digits = tok.rstrip("stndrh").replace(",", "")
            if digits.isdigit() and digits != tok.replace(",", ""):
                words += ordinal(int(digits))
            elif digits.isdigit():
                words += cardinal(int(digits))
            continue
        words.append(_SAID.get(tok, tok.replace("\u2019", "'")))
    return words


def rule_counts(chapters: tuple[Chapter, ...]) -> Counter[str]:
    """How many lines of the book each rule changes (each rule applied after the ones before it)."""
    counts: Counter[str] = Counter()
    for chapter in chapters:
        for segment in chapter.segments:
            text = speakable(segment.text, ear=False)
            counts["lines"] += 1
            for rule in RULES:
                changed = rule.apply(text)
                counts[rule.name] += changed != text
                text = changed
    return counts


def arpa(sentences: list[list[str]], path: Path, discount: float = 0.5, extra: frozenset[str] = frozenset()) -> None:
    """A trigram language model of `sentences` in ARPA form, absolute discounting with back-off; the
    `extra` words are known to it only as unigrams, each as likely as half a word seen once."""
    grams: list[Counter[tuple[str, ...]]] = [Counter(), Counter(), Counter()]
    for words in sentences:
        seq = ["<s>", *words, "</s>"]
        for n in range(3):
            for i in range(len(seq) - n):
                grams[n][tuple(seq[i : i + n + 1])] += 1
    total = sum(grams[0].values())
    followers: list[Counter[tuple[str, ...]]] = [Counter(), Counter()]
    for n in (1, 2):
        for gram in grams[n]:
            followers[n - 1][gram[:-1]] += 1
    extra = frozenset(extra - {gram[0] for gram in grams[0]})
    sizes = [len(grams[0]) + len(extra), len(grams[1]), len(grams[2])]
    lines = ["\\data\\"] + [f"ngram {n + 1}={sizes[n]}" for n in range(3)]
    for n in range(3):
        lines.append(f"\n\\{n + 1}-grams:")
        for gram, count in sorted(grams[n].items()):
            if n == 0:
                p = count / total
            else:
                p = max(count - discount, 0.01) / grams[n - 1][gram[:-1]]
            prob = -99.0 if gram == ("<s>",) else math.log10(p)
            backoff = ""
            if n < 2 and gram in followers[n]:
                backoff = f" {math.log10(discount * followers[n][gram] / grams[n][gram]):.4f}"
            lines.append(f"{prob:.4f} {' '.join(gram)}{backoff}")
        if n == 0:
            lines += [f"{math.log10(discount / total):.4f} {word}" for word in sorted(extra)]
    path.write_text("\n".join(lines) + "\n\n\\end\\\n", encoding="utf-8")


def wer_counts(ref: list[str], hyp: list[str]) -> tuple[int, int]:
    """(word errors: substitutions, deletions and insertions, reference length)."""
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1], len(ref)


ROOM_TONE = 100.0  # the noise floor added to every clip: RMS in 16-bit units, about -50 dBFS (the voice is about -21)


def to_16k(pcm: bytes, rate: int) -> np.ndarray:
    """16-bit mono `pcm` at `rate` as 16 kHz samples (float), band-limited by ffmpeg's resampler: linear
    interpolation folds espeak-ng's energy between 8 and 11 kHz back into the band the recogniser hears."""
    if rate == 16000:
        return np.frombuffer(pcm, dtype=np.int16).astype(np.float64)
    cmd = [ffmpeg_exe(), "-v", "error", "-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "-"]
    out = subprocess.run([*cmd, "-ar", "16000", "-f", "s16le", "-"], input=pcm, capture_output=True, check=True)
    return np.frombuffer(out.stdout, dtype=np.int16).astype(np.float64)


def with_room_tone(samples: np.ndarray) -> bytes:
    """`samples` with a faint, fixed (seeded) noise floor, as 16-bit PCM. espeak-ng's pauses are digital
    silence (exact zeros, 15% of a chapter): the recogniser's log energies there fall far below anything
    in its training, which spoils its cepstral mean and silence model (measured on lines the rules leave
    alone: 54% WER without, 2.4% with this floor; pocketsphinx's own 1-bit dither: 38%)."""
    noise = np.random.default_rng(0).normal(0.0, ROOM_TONE, len(samples))
    return np.clip(samples + noise, -32768, 32767).astype(np.int16).tobytes()


def pronunciations(words: set[str], voice: str) -> tuple[list[str], set[str], set[str]]:
    """Dictionary lines for `words`: pocketsphinx's CMU entries, and espeak-ng's own pronunciation (see
    bench/lexicon.py) for a word the CMU dictionary lacks; also the words so guessed and the words still
    without a pronunciation."""
    import pocketsphinx  # here, not at the top: the rule counts run without it

    path = Path(pocketsphinx.get_model_path()) / "en-us" / "cmudict-en-us.dict"
    entries = [
        line for line in path.read_text(encoding="utf-8").splitlines() if line.split(" ", 1)[0].split("(")[0] in words
    ]
    missing = words - {line.split(" ", 1)[0].split("(")[0] for line in entries}
    guessed = espeak_pronunciations(sorted(missing), voice)
    entries += [f"{word} {phones}" for word, phones in sorted(guessed.items())]
    return entries, set(guessed), missing - set(guessed)


class Listener:
    """pocketsphinx with the chapter's language model and dictionary: a clip in, the words heard out."""

    def __init__(
        self, sentences: list[list[str]], entries: list[str], workdir: Path, weight: float, extra: frozenset[str]
    ):
        import pocketsphinx

        model = Path(pocketsphinx.get_model_path()) / "en-us"
        lm, words = workdir / "chapter.arpa", workdir / "chapter.dict"
        arpa(sentences, lm, extra=extra)
        words.write_text("\n".join(entries) + "\n", encoding="utf-8")
        self.decoder = pocketsphinx.Decoder(
            hmm=str(model / "en-us"), lm=str(lm), dict=str(words), lw=weight, loglevel="FATAL"
        )

    def hear(self, pcm: bytes, rate: int) -> list[str]:
        """The words heard in one line's clip, decoded as one utterance."""
        self.decoder.start_utt()
        self.decoder.process_raw(with_room_tone(to_16k(pcm, rate)), full_utt=True)
        self.decoder.end_utt()
        hyp = self.decoder.hyp()
        return [w.split("(")[0] for w in hyp.hypstr.split()] if hyp else []


def rules_changing(text: str) -> list[str]:
    """The names of the rules that change `text` (espeak-ng's text before the rules), in order."""
    names = []
    for rule in RULES:
        changed = rule.apply(text)
        if changed != text:
            names.append(rule.name)
        text = changed
    return names


class Tally:
    """Word errors by group (whole chapter, lines changed, each rule) and a few examples per rule."""

    def __init__(self) -> None:
        self.errors: dict[str, list[int]] = {}
        self.examples: dict[str, list[tuple[int, str, list[str], list[str], list[str]]]] = {}

    def add(self, key: str, ref: list[str], heard: list[str]) -> None:
        errors, length = wer_counts(ref, heard)
        got = self.errors.setdefault(key, [0, 0])
        got[0] += errors
        got[1] += length

    def line(
        self, ref: list[str], before: tuple[str, list[str]], after: tuple[str, list[str]], rules: list[str]
    ) -> None:
        """Count one line: its text and words heard before and after the rules."""
        groups = ["whole chapter"] + (
            ["lines changed"] + [f"rule: {r}" for r in rules] if rules else ["lines unchanged"]
        )
        for group in groups:
            self.add(f"{group}, before", ref, before[1])
            self.add(f"{group}, after", ref, after[1])
        for rule in rules:
            self.examples.setdefault(rule, []).append((len(ref), before[0], before[1], after[1], ref))

    def report(self, examples: int) -> None:
        """Print the word error rates, then the shortest lines of each rule as heard."""
        order = ["whole chapter", "lines unchanged", "lines changed"]
        order += sorted({k.rsplit(", ", 1)[0] for k in self.errors} - set(order))
        for group in order:
            for when in ("before", "after"):
                errors, length = self.errors.get(f"{group}, {when}", (0, 0))
                if length and not (group == "lines unchanged" and when == "after"):  # the same clips
                    label = group if group == "lines unchanged" else f"{group}, {when}"
                    print(f"  WER {label:34} {errors / length:6.1%}  ({errors} errors / {length} words)")
        for rule, found in self.examples.items():
            print(f"\n  {rule}: {len(found)} lines, the shortest:")
            for _, text, before, after, ref in sorted(found, key=lambda e: e[0])[:examples]:
                print(f"    text:   {text}\n    ref:    {' '.join(ref)}")
                print(f"    before: {' '.join(before)}\n    after:  {' '.join(after)}")


def run_chapter(chapter: Chapter, voice: str, weight: float, examples: int = 2, open_vocab: bool = False) -> None:
    """Speak and recognise `chapter`'s lines before and after the rules; print the word error rates.
    `open_vocab`: the words of the text before the rules ("xviii", "capt", "thousand") are known to the
    recogniser too, as unigrams only, so it can hear a wrong reading as what it is."""
    engine, spec = EspeakEngine(), VoiceSpec("espeak", voice)
    lines = [(speakable(s.text, ear=False), speakable(s.text)) for s in chapter.segments]
    lines = [(before, after) for before, after in lines if after]
    words = [reference_words(after) for _, after in lines]
    extra = frozenset(w for before, _ in lines for w in reference_words(before)) if open_vocab else frozenset()
    entries, guessed, unknown = pronunciations({w for ws in words for w in ws} | extra, voice)
    refs = [[w for w in ws if w not in unknown] for ws in words]
    tally, started = Tally(), time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        listener = Listener([r for r in refs if r], entries, Path(tmp), weight, extra - unknown)
        for (before, after), ref in zip(lines, refs):
            audio = engine.synthesize(after, spec)
            heard_after = listener.hear(audio.pcm, audio.sample_rate)
            heard_before = heard_after
            if before != after:
                audio = engine.synthesize(before, spec)
                heard_before = listener.hear(audio.pcm, audio.sample_rate)
            tally.line(
                ref, (before, heard_before), (after, heard_after), rules_changing(before) if before != after else []
            )
    print(
        f"\nchapter {chapter.index} ({chapter.title}): {len(lines)} lines, {sum(map(len, refs)):,} reference words, "
        f"{len(guessed)} words pronounced as espeak-ng does ({', '.join(sorted(guessed)[:8])}, ...), "
        f"{len(unknown)} without a pronunciation left out, {time.perf_counter() - started:.0f} s"
    )
    tally.report(examples)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("book", help="a novel's text (a Project Gutenberg .txt, Markdown or plain text)")
    ap.add_argument("--chapter", type=int, help="the chapter's index (default: the one the rules change most)")
    ap.add_argument("--voice", default="gmw/en-us")
    ap.add_argument("--lw", type=float, default=6.5, help="the language model's weight (pocketsphinx's default)")
    ap.add_argument(
        "--open-vocab", action="store_true", help="the recogniser also knows the words of the text before the rules"
    )
    ap.add_argument("--examples", type=int, default=2, help="lines shown per rule, as heard before and after")
    args = ap.parse_args()
    script = parse_book(load_book(args.book))
    counts = rule_counts(script.chapters)
    print(f"{args.book}: {counts['lines']:,} lines; lines each rule changes:")
    for rule in RULES:
        print(f"  {rule.name:18} {counts[rule.name]:6,}")

    def changed(c: Chapter) -> float:
        return sum(speakable(s.text) != speakable(s.text, ear=False) for s in c.segments) / max(len(c.segments), 1)

    chapter = next((c for c in script.chapters if c.index == args.chapter), None) or max(script.chapters, key=changed)
    run_chapter(chapter, args.voice, args.lw, args.examples, args.open_vocab)


if __name__ == "__main__":
    main()
