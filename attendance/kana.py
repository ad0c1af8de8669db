"""五十音順: the order of Japanese names by their reading, as a printed list expects it.

Code-point order is almost right for hiragana but puts が after か and before き, small ゃ
before や, and katakana after all hiragana. The key compares first by the plain sounds (が as
か, ゃ as や, カ as か, half-width ｶ as か), then by the marks, so かとう < がとう < きむら.
"""

import unicodedata

_SMALL = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ")
_MARKS = {"\u3099": 1, "\u309a": 2}  # combining dakuten, handakuten


def to_hiragana(text: str) -> str:
    """Katakana (full or half width) as hiragana; other characters unchanged."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def gojuon_key(kana: str, name: str = "") -> tuple:
    """Sort key: by reading in 五十音順, readings left empty last, then by the name."""
    reading = "".join(to_hiragana(kana).split())
    plain, marks = [], []
    for char in unicodedata.normalize("NFD", reading):
        if char in _MARKS:
            if marks:
                marks[-1] = _MARKS[char]
            continue
        plain.append(char.translate(_SMALL))
        marks.append(0)
    small = [c != c.translate(_SMALL) for c in unicodedata.normalize("NFC", reading)]
    return (not reading, "".join(plain), tuple(marks), tuple(small), name)
