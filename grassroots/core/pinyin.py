"""Pinyin keys for Chinese names, so that 张三 is found by "zhangsan", "zhang" or "zs"."""

from __future__ import annotations

import re
from functools import lru_cache

from django.db.models import Q
from pypinyin import Style, lazy_pinyin

from .textsearch import prefix_q

_ASCII_WORD = re.compile(r"^[a-z]+$")

# Common surnames whose reading differs from the most frequent reading of the character.
_SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "单": ("shan",),
    "曾": ("zeng",),
    "解": ("xie",),
    "仇": ("qiu",),
    "朴": ("piao",),
    "查": ("zha",),
    "区": ("ou",),
    "盖": ("ge",),
    "覃": ("qin",),
    "乐": ("yue",),
    "缪": ("miao",),
    "秘": ("bi",),
    "翟": ("zhai",),
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
}


@lru_cache(maxsize=65536)
def _syllables(text: str) -> tuple[str, ...]:
    return tuple(s.lower() for s in lazy_pinyin(text, style=Style.NORMAL, errors="default") if s.strip())


def name_syllables(name: str) -> tuple[str, ...]:
    name = name.strip()
    for surname in sorted(_SURNAME_READINGS, key=len, reverse=True):
        if name.startswith(surname) and len(name) > len(surname):
            return _SURNAME_READINGS[surname] + _syllables(name[len(surname) :])
    return _syllables(name)


def keys(name: str) -> tuple[str, str]:
    """(full pinyin without spaces, initials), lower-case: 张三 → ("zhangsan", "zs")."""
    syll = name_syllables(name)
    full = "".join(syll)
    initials = "".join(s[0] for s in syll if s)
    return full[:120], initials[:40]


# Org names mostly start with 中共 (the party's seal name); their keys start after it, so that "ceshiju" or
# "csj" finds 中共测试局委员会.
ORG_NAME_PREFIX = "中共"


def org_keys(name: str) -> tuple[str, str]:
    """Pinyin keys of an org's name without the leading 中共: 中共测试局委员会 → ("ceshijuweiyuanhui", "csjwyh")."""
    name = name.strip()
    return keys(name.removeprefix(ORG_NAME_PREFIX) or name)


# Between the syllables of a sort key: a digit, which sorts before every letter byte by byte (SQLite, the C
# collation) and under the usual locale collations alike, where a space may be ignored.
SORT_SEPARATOR = "0"


def sort_key(name: str) -> str:
    """Names sort by pinyin syllable by syllable, surname first, as Chinese rosters do: 李宁 "li0ning" before
    林安 "lin0an" (the concatenated pinyin would put "linan" before "lining")."""
    return SORT_SEPARATOR.join(name_syllables(name))[:160]


def is_pinyin_query(q: str) -> bool:
    """Whether a search text is Latin letters only (pinyin or initials), spaces aside."""
    return bool(_ASCII_WORD.match(q.lower().replace(" ", "")))


def name_q(q: str, *, prefix: str = "") -> Q:
    """Rows whose name starts with `q`: the full pinyin or the initials when `q` is Latin letters ("zhangsan",
    "zhang", "zs"), otherwise the Chinese name ("张", "张三"). Fields `name`, `name_pinyin`, `name_initials`
    (after `prefix`), each matched by prefix so that an index serves it on both engines (core.textsearch)."""
    q = q.strip()
    if not q:
        return Q()
    if is_pinyin_query(q):
        lowered = q.lower().replace(" ", "")
        return prefix_q(f"{prefix}name_pinyin", lowered) | prefix_q(f"{prefix}name_initials", lowered)
    return prefix_q(f"{prefix}name", q)
