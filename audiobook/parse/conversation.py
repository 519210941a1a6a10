"""Conversations decoded as a whole: the untagged lines of a run of speech paragraphs are given
their speakers jointly, not one after the other, so that one wrong line does not cascade down the
chain and a line two back that nobody knows does not leave the rest unanswered.

A conversation is a run of consecutive paragraphs with speech. Each paragraph is a turn, spoken by
one person. The turns the sieve decided from the text itself (a tag, a beat, a vocative answered)
are anchors; the others are chosen by a Viterbi search over who speaks each turn, scoring:
- people take turns: a turn is most likely spoken by whoever spoke two turns before (and not by
  whoever spoke just before), less likely by a third person;
- an anchor is very likely right (as sure as its rule);
- a "he said" / "she said" wants someone of that gender;
- a line answers whoever the line before addressed by name, and is never spoken by whom it addresses;
  the line before one that addresses someone by name is likely theirs;
- someone named in the turn's narration is likelier to speak it.
Every number is in weights.CONVERSATION.
"""

from __future__ import annotations

import math
import operator
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from .weights import CONFIDENCE, CONVERSATION

# Rules whose decisions the decoder may replace: they read the chain, not the text of the line.
CHAIN_RULES = {"", "turn", "turn:other", "beat:previous"}
# Anchors the decoder may overrule, weighing them as sure as their rule: a he/she tag resolved to the
# wrong person of the right gender, a beat read from the paragraph before.
SOFT = {"tag:pronoun", "beat:previous"}
_LOG_FLOOR = -30.0
FIRST_PERSON = "first person"  # the gender the decoder is told for a narrator who says "I": no he/she fits


@dataclass
class Turn:
    """One paragraph of a conversation, as the decoder sees it."""

    para: int
    anchor: str | None  # the speaker the text itself names, if it does
    anchor_rule: str
    gender: str  # a he/she tag's gender, when the anchor came from one ("" otherwise)
    addresses: set[str]  # whom its lines address by name
    named: set[str]  # who its narration names
    free: bool  # whether its speaker is the decoder's to choose
    chain: str | None = None  # whom the line-by-line turn-taking chose, if anyone
    addresses_gender: str = ""  # a line that says "sir" speaks to a man, "madam" to a woman
    speaks_of: frozenset[str] = frozenset()  # whom its lines name without addressing them


def _log(p: float) -> float:
    return math.log(p) if p > 0 else _LOG_FLOOR


def candidates(turns: list[Turn], before: list[str]) -> list[str]:
    """Who may speak in the conversation: its anchors, whom it addresses, who its narration names and
    who spoke just before it; the most present first, at most CONVERSATION['candidates']."""
    count: Counter[str] = Counter()
    for t in turns:
        if t.anchor:
            count[t.anchor] += 3
        for who in sorted(t.addresses):  # sorted: a tie between candidates falls the same way every run
            count[who] += 2
        for who in sorted(t.named):
            count[who] += 1
    for who in before:
        count[who] += 1
    return [who for who, _ in count.most_common(int(CONVERSATION["candidates"]))]


def _emission(
    t: Turn, who: str, around: tuple[Turn | None, Turn | None], gender_of: Callable[[str], str], k: int
) -> float:
    """How well `who` fits turn `t` on its own evidence (log scale)."""
    if not t.free:  # decided by the text itself: only its speaker
        return 0.0 if who == t.anchor else _LOG_FLOOR
    if who in t.addresses:
        return _log(CONVERSATION["speaks_to_self"])
    score = 0.0
    if t.anchor:
        sure = CONFIDENCE.get(t.anchor_rule, 0.6)
        score += _log(sure) if who == t.anchor else _log((1 - sure) / max(1, k - 1))
    if t.gender:
        g = gender_of(who)
        score += _log(
            CONVERSATION["gender_match"]
            if g == t.gender
            else (CONVERSATION["gender_unknown"] if g == "unknown" else CONVERSATION["gender_mismatch"])
        )
    if who in t.named:
        score += _log(CONVERSATION["named_here"])
    if who in t.speaks_of:  # "If I had not persuaded Harriet…" is seldom Harriet's
        score += _log(CONVERSATION["speaks_of_self"])
    if who == t.chain:  # on a tie, the turn-taking read line by line: a third voice enters late
        score += _log(CONVERSATION["chain_hint"])
    previous, following = around
    if previous is not None and previous.addresses:
        score += _log(CONVERSATION["answers_addressed"] if who in previous.addresses else 1.0)
    if following is not None and following.addresses:  # "True, Captain Harville": he spoke the line before
        score += _log(CONVERSATION["addressed_by_next"] if who in following.addresses else 1.0)
    for near in around:  # the lines beside one that says "sir" are a man's
        if near is not None and near.addresses_gender:
            g = gender_of(who)
            if g not in ("unknown", FIRST_PERSON):
                score += _log(CONVERSATION["sir_fits" if g == near.addresses_gender else "sir_misfits"])
    return score


# A turn's table: a row for each candidate who may speak it, a column for each who may have spoken the
# turn before (the last column: no one); each cell the best score of a reading with them (-inf: none).
Table = list[list[float]]


def decode(turns: list[Turn], before: list[str], gender_of: Callable[[str], str]) -> list[str | None]:
    """The most likely speaker of every turn (None for all when there is no one to choose from)."""
    return [who for who, _ in decode_with_margins(turns, before, gender_of)]


def decode_with_margins(
    turns: list[Turn], before: list[str], gender_of: Callable[[str], str]
) -> list[tuple[str | None, float]]:
    """Each turn's most likely speaker, and by how much (log scale) the best whole reading with them
    beats the best with anyone else there: a Viterbi search, forwards and backwards, whose state is
    who spoke the last two turns. The margin is what the line's confidence is made from."""
    cands = candidates(turns, before)
    if not cands or not turns:
        return [(None, 0.0)] * len(turns)
    emissions = []
    for i, t in enumerate(turns):
        around = (turns[i - 1] if i else None, turns[i + 1] if i + 1 < len(turns) else None)
        emissions.append([_emission(t, w, around, gender_of, len(cands)) for w in cands])
    forward = _sweep(emissions)
    out: list[tuple[str | None, float]] = []
    for winner, ahead, after in zip(_best_path(forward), forward, _sweep_back(emissions)):
        best = [max(map(operator.add, ahead[w], after[w])) for w in range(len(cands))]
        rest = [b for w, b in enumerate(best) if w != winner]
        out.append((cands[winner], best[winner] - max(rest) if rest else -_LOG_FLOOR))
    return out


def _best_path(forward: list[Table]) -> list[int]:
    """The speakers of one best reading, traced back from its last turn: each turn's winner alone
    could pair two halves of different readings that tie ("M, T" and "T, M" giving "M, M")."""
    same, alternate, third = _move_logs()
    k = len(forward[0])
    end = forward[-1]
    who, before = max(((w, b) for w in range(k) for b in range(k + 1)), key=lambda wb: end[wb[0]][wb[1]])
    path = [who]
    for i in range(len(forward) - 2, -1, -1):  # turn i, spoken by `before`, then turn i + 1 by `who`
        nxt, who = who, before
        path.append(who)
        if i:
            ways = forward[i][who]
            moves = [same if nxt == who else (alternate if b in (nxt, k) else third) for b in range(k + 1)]
            before = max(range(k + 1), key=lambda b: ways[b] + moves[b])
    return path[::-1]


def _sweep(emissions: list[list[float]]) -> list[Table]:
    """For every turn, the best score of any reading of the turns up to it that ends in each state
    (who speaks it, who spoke the turn before).

    A move's likelihood depends only on whether the next speaker spoke last, two turns back, or
    neither (_move_logs). So the best way into (last, who) is the best of: the best reading ending
    in `last` followed by `who` as the same speaker again, or as a third person; and the readings
    (who, last) and (no one, last) followed by `who` taking turns. (Taking turns being likelier than
    a third person, the best reading ending in `last` may stand for all the third-person ones.) The
    result is the full search's, in k * k steps per turn for k candidates, not k * k * k."""
    same, alternate, third = _move_logs()
    k = len(emissions[0])
    nobody = k  # the column of "no one spoke before"
    table = [[-math.inf] * k + [e] for e in emissions[0]]  # the first turn: no move
    out = [table]
    for emitted in emissions[1:]:
        nxt = [[-math.inf] * (k + 1) for _ in range(k)]
        for last, ways in enumerate(table):
            top = max(ways)  # the best reading ending in `last`
            for who, e in enumerate(emitted):
                if who == last:
                    nxt[who][last] = top + e + same
                else:
                    nxt[who][last] = max(top + e + third, ways[who] + e + alternate, ways[nobody] + e + alternate)
        out.append(nxt)
        table = nxt
    return out


def _sweep_back(emissions: list[list[float]]) -> list[Table]:
    """For every turn and state, the best score of the turns after it. As in _sweep, a state
    (two_back, last) differs from the others ending in `last` only in which next speaker takes turns:
    everyone but `last` when no one spoke two turns back, else `two_back` alone (whom the best
    third-person continuation, in `rest`, may count too: taking turns is likelier). A move's score
    (the next turn's emission and the move) does not depend on `last`: added once per turn."""
    same, alternate, third = _move_logs()
    k = len(emissions[0])
    out: list[Table] = [[[0.0] * (k + 1) for _ in range(k)] for _ in emissions]  # the last turn: nothing after
    for i in range(len(emissions) - 2, -1, -1):
        emitted = emissions[i + 1]
        with_alternate, with_third = [e + alternate for e in emitted], [e + third for e in emitted]
        for last, after in enumerate(list(zip(*out[i + 1]))[:k]):  # after[who]: the best after `last`, `who`
            again = emitted[last] + same + after[last]
            taking = list(map(operator.add, with_alternate, after))
            others = list(map(operator.add, with_third, after))
            taking[last] = others[last] = -math.inf  # `last` again is neither
            rest = max(again, max(others))
            out[i][last] = [t if t > rest else rest for t in taking] + [max(again, *taking)]
    return out


def _move_logs() -> tuple[float, float, float]:
    """The log-likelihoods of the three moves from (two_back, last) to the next speaker: `last` again,
    `two_back` (taking turns; anyone but `last` when no one spoke two turns back), or a third person."""
    same, alternate, third = (_log(CONVERSATION[k]) for k in ("same_again", "alternate", "third_person"))
    assert alternate >= third, "the sweeps count on taking turns being likelier than a third person"
    return same, alternate, third
