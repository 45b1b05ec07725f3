"""Text similarity for cross-source work: MinHash over word shingles for
articles, token sets for quotes and actors."""

from __future__ import annotations

import re

import numpy as np
from datasketch import MinHash

__all__ = ["NUM_PERM", "article_minhash", "minhash_from_bytes", "minhash_to_bytes", "tokens", "overlap"]

NUM_PERM = 128
SCHEME = "affine32"  # stored signatures must be read back with the scheme that made them
SHINGLE = 5  # words per shingle: copies share long runs, articles on one topic do not
_WORD = re.compile(r"\w+", re.UNICODE)


def article_minhash(text: str) -> MinHash:
    words = _WORD.findall(text.casefold())
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    minhash = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return minhash


def minhash_to_bytes(minhash: MinHash) -> bytes:
    return minhash.hashvalues.astype("<u8").tobytes()


def minhash_from_bytes(data: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashvalues=np.frombuffer(data, dtype="<u8"))


def tokens(text: str | None) -> frozenset[str]:
    """Content words (three letters or more), case-folded."""
    return frozenset(w for w in _WORD.findall((text or "").casefold()) if len(w) >= 3)


def overlap(a: frozenset[str], b: frozenset[str]) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set in the larger)."""
    if not a or not b:
        return 0.0, 0.0
    common = len(a & b)
    return common / len(a | b), common / min(len(a), len(b))
