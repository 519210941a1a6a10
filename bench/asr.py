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
dictionary, so a word it lacks (mostly names) is left out of the score in both runs alike. A line the
rules leave alone is spoken and recognised once and counts the same in both runs. The book's text is
given by path and never stored here.
"""

from __future__ import annotations

import argparse
import math
import re
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

from audiobook.ear import RULES
from audiobook.engines.espeak import EspeakEngine
from audiobook.ingest import load_book
from audiobook.model import Chapter, VoiceSpec
from audiobook.parse import parse_book
from audiobook.speech import speakable

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen".split()
_ONES += "sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINALS = {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth"}


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


_TOKEN = re.compile(r"\d[\d,]*(?:st|nd|rd|th)?|[a-z]+(?:['\u2019][a-z]+)*")
_SAID = {"mr": "mister", "mrs": "missus", "dr": "doctor", "st": "saint", "etc": "etcetera"}


def reference_words(spoken: str) -> list[str]:
    """The words a listener should hear for the engine's text `spoken`."""
    words: list[str] = []
    for tok in _TOKEN.findall(spoken.lower().replace("-", " ")):
        if tok[0].isdigit():
            digits = tok.rstrip("stndrh").replace(",", "")
            if tok in _ORDINALS:
                words.append(_ORDINALS[tok])
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


def arpa(sentences: list[list[str]], path: Path, discount: float = 0.5) -> None:
    """A trigram language model of `sentences` in ARPA form, absolute discounting with back-off."""
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
    lines = ["\\data\\"] + [f"ngram {n + 1}={len(grams[n])}" for n in range(3)]
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
    path.write_text("\n".join(lines) + "\n\n\\end\\\n", encoding="utf-8")


def wer_counts(ref: list[str], hyp: list[str]) -> tuple[int, int]:
    """(word errors: substitutions, deletions and insertions, reference length)."""
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1], len(ref)


class Listener:
    """pocketsphinx with the chapter's language model: 16 kHz speech in, words out."""

    def __init__(self, sentences: list[list[str]], vocab: set[str], workdir: Path, weight: float):
        import pocketsphinx

        model = Path(pocketsphinx.get_model_path()) / "en-us"
        lm = workdir / "chapter.arpa"
        arpa(sentences, lm)
        entries = [
            line
            for line in (model / "cmudict-en-us.dict").read_text(encoding="utf-8").splitlines()
            if line.split(" ", 1)[0].split("(")[0] in vocab
        ]
        (workdir / "chapter.dict").write_text("\n".join(entries) + "\n", encoding="utf-8")
        self.decoder = pocketsphinx.Decoder(
            hmm=str(model / "en-us"), lm=str(lm), dict=str(workdir / "chapter.dict"), lw=weight, loglevel="FATAL"
        )

    def hear(self, pcm: bytes, rate: int) -> list[str]:
        samples = np.frombuffer(pcm, dtype=np.int16).astype(np.float64)
        # Linear interpolation: measured better here than a band-limited (FFT) resampling, 38.6% against
        # 58.4% WER (the latter with --lw 15 too).
        at = np.arange(0, len(samples), rate / 16000)
        resampled = np.interp(at, np.arange(len(samples)), samples).astype(np.int16)
        self.decoder.start_utt()
        self.decoder.process_raw(resampled.tobytes(), full_utt=True)
        self.decoder.end_utt()
        hyp = self.decoder.hyp()
        return [w.split("(")[0] for w in hyp.hypstr.split()] if hyp else []


def vocabulary() -> set[str]:
    """The words of pocketsphinx's CMU dictionary."""
    import pocketsphinx  # here, not at the top: the rule counts run without it

    path = Path(pocketsphinx.get_model_path()) / "en-us" / "cmudict-en-us.dict"
    return {line.split(" ", 1)[0].split("(")[0] for line in path.read_text(encoding="utf-8").splitlines()}


def run_chapter(chapter: Chapter, voice: str, weight: float, verbose: bool = False) -> None:
    """Speak and recognise `chapter`'s lines before and after the rules; print the word error rates."""
    vocab = vocabulary()
    lines = [(speakable(s.text, ear=False), speakable(s.text)) for s in chapter.segments]
    refs = [[w for w in reference_words(after) if w in vocab] for _, after in lines]
    oov = sum(len(reference_words(after)) for _, after in lines) - sum(map(len, refs))
    engine, spec = EspeakEngine(), VoiceSpec("espeak", voice)
    with tempfile.TemporaryDirectory() as tmp:
        listener = Listener([r for r in refs if r], vocab, Path(tmp), weight)
        totals = {k: [0, 0] for k in ("after", "before", "after, lines changed", "before, lines changed")}
        started = time.perf_counter()
        for (before, after), ref in zip(lines, refs):
            if not after:
                continue
            audio = engine.synthesize(after, spec)
            heard_after = listener.hear(audio.pcm, audio.sample_rate)
            heard_before = heard_after
            if before != after:
                audio = engine.synthesize(before, spec)
                heard_before = listener.hear(audio.pcm, audio.sample_rate)
            for name, heard in (("after", heard_after), ("before", heard_before)):
                keys = [name] + ([f"{name}, lines changed"] if before != after else [])
                errors, length = wer_counts(ref, heard)
                for key in keys:
                    totals[key][0] += errors
                    totals[key][1] += length
                if verbose and before != after and name == "before":
                    for label, words in (("before", heard_before), ("after", heard_after), ("ref", ref)):
                        print(f"  {label + ':':8}{' '.join(words)}")
    print(
        f"\nchapter {chapter.index} ({chapter.title}): {len(lines)} lines, {sum(map(len, refs)):,} reference words "
        f"({oov} more not in the dictionary, left out of both), {time.perf_counter() - started:.0f} s"
    )
    for key, (errors, length) in totals.items():
        print(f"  WER {key:22} {errors / max(length, 1):6.1%}  ({errors} errors / {length} words)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("book", help="a novel's text (a Project Gutenberg .txt, Markdown or plain text)")
    ap.add_argument("--chapter", type=int, help="the chapter's index (default: the one the rules change most)")
    ap.add_argument("--voice", default="gmw/en-us")
    ap.add_argument("--lw", type=float, default=6.5, help="the language model's weight (pocketsphinx's default)")
    ap.add_argument("--verbose", action="store_true", help="print each changed line as heard before and after")
    args = ap.parse_args()
    script = parse_book(load_book(args.book))
    counts = rule_counts(script.chapters)
    print(f"{args.book}: {counts['lines']:,} lines; lines each rule changes:")
    for rule in RULES:
        print(f"  {rule.name:18} {counts[rule.name]:6,}")

    def changed(c: Chapter) -> float:
        return sum(speakable(s.text) != speakable(s.text, ear=False) for s in c.segments) / max(len(c.segments), 1)

    chapter = next((c for c in script.chapters if c.index == args.chapter), None) or max(script.chapters, key=changed)
    run_chapter(chapter, args.voice, args.lw, args.verbose)


if __name__ == "__main__":
    main()
