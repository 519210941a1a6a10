"""Score our own `audiobook script --format jsonl` on the Project Dialogism Novel Corpus, end to end.

No gold character list, no gold spans: our parser finds its own quotes and characters.

    python bench/attribution.py [--gold /tmp/pdnc] [--heldout] [--per-novel]

Needs the corpus converted once per machine (see ../shared/eval/README.md):
    python3 ../shared/eval/pdnc_convert.py <corpus git dir> /tmp/pdnc
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCORER = ROOT.parent / "shared" / "eval" / "score_attribution.py"
DEVELOPMENT = """AHandfulOfDust ARoomWithAView AlicesAdventuresInWonderland AnneOfGreenGables DaisyMiller Emma
HowardsEnd NightAndDay NorthangerAbbey Persuasion PrideAndPrejudice SenseAndSensibility TheAgeOfInnocence
TheAwakening TheGambler TheInvisibleMan TheManWhoWasThursday TheMysteriousAffairAtStyles
ThePictureOfDorianGray TheSignOfTheFour TheSportOfTheGods TheSunAlsoRises""".split()
HELDOUT = "APassageToIndia HardTimes MansfieldPark OliverTwist WhereAngelsFearToTread WinnieThePooh".split()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default="/tmp/pdnc", help="folder of converted PDNC novels")
    ap.add_argument("--heldout", action="store_true", help="score the six held-out novels instead")
    ap.add_argument("--per-novel", action="store_true")
    ap.add_argument("--jobs", default="2")
    ap.add_argument("--save-preds", default=None)
    args = ap.parse_args()
    if not Path(args.gold, "Emma.json").exists():
        print(f"No converted corpus in {args.gold}; see the docstring of {__file__}", file=sys.stderr)
        return 2
    exe = Path(sys.executable).parent / "audiobook"
    cmd = f"{shlex.quote(str(exe))} script --format jsonl {{input}}"
    novels = HELDOUT if args.heldout else DEVELOPMENT
    argv = [sys.executable, str(SCORER), args.gold, "--jobs", args.jobs, "--cmd", cmd, "--only", *novels]
    if args.per_novel:
        argv.append("--per-novel")
    if args.save_preds:
        argv += ["--save-preds", args.save_preds]
    return subprocess.run(argv).returncode


if __name__ == "__main__":
    raise SystemExit(main())
