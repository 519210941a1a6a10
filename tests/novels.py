"""A deterministic synthetic novel of our own, for tests and benchmarks: chapters, narration,
dialogue, a cast.

    python -m tests.novels --words 100000 > /tmp/novel.md
"""

from __future__ import annotations

import argparse
import random
import sys

CAST = [
    ("Mara Quill", "she"),
    ("Tobias Quill", "he"),
    ("Pip", "he"),
    ("Dr. Rhys Okafor", "he"),
    ("Ines Calder", "she"),
    ("Owen Bright", "he"),
    ("Hattie Pryce", "she"),
    ("Felix Vance", "he"),
]
PLACES = [
    "the harbour",
    "the lantern room",
    "the village green",
    "the cliff path",
    "the boathouse",
    "the chapel",
    "the market",
    "the old pier",
]
NOUNS = ["the tide", "the lamp", "a letter", "the storm", "the ferry", "a lantern", "the map", "the bell"]
VERBS = ["watched", "remembered", "carried", "mended", "counted", "followed", "studied", "painted"]
ADJ = ["grey", "quiet", "bright", "cold", "narrow", "patient", "restless", "salt-stained"]
SPEECH = ["said", "asked", "replied", "whispered", "called", "answered"]
# How often each of CAST speaks: leads, a middle, and minor characters (one near 10% of the lines).
WEIGHTS = [5, 4, 3, 2.2, 1.6, 1.2, 0.8, 0.6]


def _sentence(r: random.Random) -> str:
    who, pron = r.choice(CAST)
    first = who.split()[0] if not who.startswith("Dr.") else "Dr. Okafor"
    return r.choice(
        [
            f"{first} {r.choice(VERBS)} {r.choice(NOUNS)} near {r.choice(PLACES)}, and {pron} did not hurry.",
            f"The {r.choice(ADJ)} light fell across {r.choice(PLACES)} while {first} waited.",
            f"Nobody in {r.choice(PLACES)} had seen {r.choice(NOUNS)} so {r.choice(ADJ)} before.",
            f"{first} thought about {r.choice(NOUNS)} for a long time.",
        ]
    )


def _speech(r: random.Random) -> str:
    return " ".join(
        r.choice(
            [
                "We should go before dark.",
                "I never said that.",
                "Look at the water.",
                "Is it ready yet?",
                "Tell me what you saw.",
                "The bell rang twice tonight.",
                "Wait for me by the gate.",
            ]
        )
        for _ in range(r.randint(1, 3))
    )


def novel(words: int, seed: int = 7) -> str:
    """A Markdown novel of about `words` words."""
    r = random.Random(seed)
    out = ["Title: The Benchmark Shore", "Author: The Audiobook Project", ""]
    count, chapter = 0, 0
    # Chapters of about 4,000 words whatever the length: a longer book has more chapters, not longer
    # ones (so 100,000 words make 25 chapters, and 200,000 words 50).
    per_chapter = 4000
    while count < words:
        chapter += 1
        out += [f"## Chapter {chapter}", ""]
        in_chapter = 0
        while in_chapter < per_chapter and count < words:
            if r.random() < 0.45:
                names = [name for name, _ in CAST]
                a = b = r.choices(names, WEIGHTS)[0]
                while b == a:
                    b = r.choices(names, WEIGHTS)[0]
                a1, b1 = a.split()[-1] if a.startswith("Dr.") else a.split()[0], b.split()[0]
                lines = [
                    f"\u201c{_speech(r)}\u201d {r.choice(SPEECH)} {a1}.",
                    f"{b1} turned. \u201c{_speech(r)}\u201d",
                    f"\u201c{_speech(r)}\u201d",
                    f"\u201c{_speech(r)}\u201d",
                ]
                para = lines[: r.randint(2, 4)]
            else:
                para = [" ".join(_sentence(r) for _ in range(r.randint(3, 7)))]
            for p in para:
                out += [p, ""]
                n = len(p.split())
                count += n
                in_chapter += n
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    sys.stdout.write(novel(args.words, args.seed))


if __name__ == "__main__":
    main()
