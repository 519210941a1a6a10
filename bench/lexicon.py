"""Pronunciations for the recogniser's dictionary of words pocketsphinx's CMU dictionary lacks (mostly
names: Villefort, Dantès, Blacas), taken from espeak-ng itself: its phonemes for the word (IPA), mapped
to the ARPAbet phones of pocketsphinx's US English model. The speaker's own letter-to-sound rules are
the best guess of what the audio holds, and a name the recogniser cannot spell is otherwise heard as
a run of wrong short words that spoil the words around it.
"""

from __future__ import annotations

import ctypes
import json
import os

# espeak-ng's IPA (en-us) to the model's phones; a symbol not here makes the word unknown (left out).
_IPA = {
    "p": "P", "b": "B", "t": "T", "d": "D", "k": "K", "g": "G", "ɡ": "G", "f": "F", "v": "V",
    "θ": "TH", "ð": "DH", "s": "S", "z": "Z", "ʃ": "SH", "ʒ": "ZH", "h": "HH", "tʃ": "CH", "dʒ": "JH",
    "m": "M", "n": "N", "ŋ": "NG", "l": "L", "ɹ": "R", "r": "R", "w": "W", "ʍ": "W", "j": "Y",
    "ɾ": "T", "ʔ": "T", "x": "K", "ç": "HH", "ɬ": "L", "n̩": "AH N", "əl": "AH L", "l̩": "AH L",
    "ɑː": "AA", "ɑ": "AA", "ɒ": "AA", "ɑːɹ": "AA R", "æ": "AE", "a": "AE", "ʌ": "AH", "ə": "AH", "ɐ": "AH",
    "ɚ": "ER", "ɜː": "ER", "ɜ": "ER", "ɛ": "EH", "ɛɹ": "EH R", "e": "EY", "eɪ": "EY", "ɪ": "IH", "ᵻ": "IH",
    "ɪɹ": "IH R", "i": "IY", "iː": "IY", "iə": "IY AH", "ɔː": "AO", "ɔ": "AO", "ɔːɹ": "AO R", "ɔɪ": "OY",
    "oʊ": "OW", "o": "OW", "oː": "OW", "ʊ": "UH", "ʊɹ": "UH R", "uː": "UW", "u": "UW", "aɪ": "AY",
    "aɪɚ": "AY ER", "aɪə": "AY ER", "aʊ": "AW", "aʊɚ": "AW ER", "aʊə": "AW ER",
}  # fmt: skip
_STRESS = str.maketrans("", "", "ˈˌ")


def arpabet(ipa: str) -> str | None:
    """Space-separated espeak-ng IPA phonemes as ARPAbet ("v ˈɪ l ɪ f ˌɔːɹ t" -> "V IH L IH F AO R T");
    None when a symbol has no counterpart. A phoneme not in the table is read symbol by symbol, longest
    match first."""
    phones: list[str] = []
    for token in ipa.translate(_STRESS).split():
        while token:
            size = next((n for n in range(len(token), 0, -1) if token[:n] in _IPA), 0)
            if not size:
                if token[0] in "ːˑ\u0329-":  # a length or syllabic mark left alone
                    token = token[1:]
                    continue
                return None
            phones.append(_IPA[token[:size]])
            token = token[size:]
    return " ".join(phones) or None


def _phonemes(words: list[str], voice: str) -> dict[str, str]:
    """espeak-ng's IPA for each word, spoken by `voice` (call in a child process: it changes the
    library's state)."""
    lib = ctypes.CDLL("libespeak-ng.so.1")
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
    lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, ctypes.c_int]
    lib.espeak_SetVoiceByName(voice.encode())
    mode = 0x02 | (ord(" ") << 8)  # IPA, phonemes separated by spaces
    found = {}
    for word in words:
        text = ctypes.c_char_p(word.encode())
        parts = []
        while text.value:
            got = lib.espeak_TextToPhonemes(ctypes.byref(text), 1, mode)  # 1: UTF-8 text
            parts.append(got.decode() if got else "")
        found[word] = " ".join(parts)
    return found


def espeak_pronunciations(words: list[str], voice: str) -> dict[str, str]:
    """ARPAbet pronunciations of `words` as espeak-ng (already loaded by our engine) says them in
    `voice`; a word whose phonemes do not map is left out. Worked out in a forked child, so this
    process's espeak-ng state, which the engine's lines start from, is left as it was."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "w", encoding="utf-8") as out:
                json.dump(_phonemes(words, voice), out)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8") as got:
        ipa = json.loads(got.read() or "{}")
    os.waitpid(pid, 0)
    arpa = {word: arpabet(phonemes) for word, phonemes in ipa.items()}
    return {word: phones for word, phones in arpa.items() if phones}
