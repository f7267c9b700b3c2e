"""Where each rule comes from: the registry of rule ids → the regulation and article people expect to read.

A refusal or warning is shown as its message in Chinese, once, then 依据：《中国共产党发展党员工作细则》第十三条,
with the rule id as a small secondary label. Each app names the sources of its own rule ids in a data module
(`<app>/citations.py`, a dict `SOURCES`) and registers it from its AppConfig.ready(); core registers the ids it
owns (`CAL-WORKDAY`, `API-VALIDATION`). A new rule id gets its citation with one line in its app's module; a rule
of the project's own making is registered with no source (`()`) and shows only its id.

Messages written before this registry end with the id (“…（REC-DATES）”, “…（REC-CANDIDATE-1Y：满一年）”):
`plain_message` drops such an id so that it is not shown twice (the short reason after the colon stays).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

# The documents rules cite, by the short names of the domain notes (RULES.md).
DOCUMENTS = {
    "党章": _("中国共产党章程"),
    "细则2014": _("中国共产党发展党员工作细则"),
    "条例2018": _("中国共产党支部工作条例（试行）"),
    "教育管理条例2019": _("中国共产党党员教育管理工作条例"),
    "选举条例2020": _("中国共产党基层组织选举工作条例"),
    "党费规定2008": _("关于中国共产党党费收缴、使用和管理的规定"),
    "党费通知2017": _("关于进一步规范党费工作的通知"),
    "GB11643": _("公民身份号码（GB 11643—1999）"),
    "组通字2006-45": _("组通字〔2006〕45号"),
}
LOCAL = "local"
# Documents cited by their number alone (no title in 《》).
BY_NUMBER = {"组通字2006-45"}

_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 13 → 十三, 20 → 二十, 39 → 三十九, 105 → 一百零五, 110 → 一百一十 (article numbers as printed)."""
    if not 1 <= n <= 999:
        raise ValueError(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    if not hundreds:
        head = "" if tens < 2 else _DIGITS[tens]
        return (head + "十" if tens else "") + (_DIGITS[ones] if ones else "")
    text = _DIGITS[hundreds] + "百"
    if tens:
        text += _DIGITS[tens] + "十"
    elif ones:
        text += "零"
    return text + (_DIGITS[ones] if ones else "")


def _numeral(n: int) -> str:
    """Chinese numerals in Chinese (第十三条), digits in other languages (Art. 13)."""
    return cn_number(n) if (get_language() or "zh").startswith("zh") else str(n)


@dataclass(frozen=True)
class Cite:
    """One place in one document: `document` is a key of DOCUMENTS (or LOCAL); `article` or `chapter` a number."""

    document: str
    article: int | None = None
    chapter: int | None = None

    def __post_init__(self) -> None:
        if self.document != LOCAL and self.document not in DOCUMENTS:
            raise ValueError(f"unknown document {self.document!r}")

    def text(self) -> str:
        if self.document == LOCAL:
            return gettext("各地规定")
        title = str(DOCUMENTS[self.document])
        if self.document in BY_NUMBER:
            return title
        if self.article:
            return gettext("《%(title)s》第%(num)s条") % {"title": title, "num": _numeral(self.article)}
        if self.chapter:
            return gettext("《%(title)s》第%(num)s章") % {"title": title, "num": _numeral(self.chapter)}
        return gettext("《%(title)s》") % {"title": title}


def cite(document: str, article: int | None = None, *, chapter: int | None = None) -> Cite:
    return Cite(document, article, chapter)


_SOURCES: dict[str, tuple[Cite, ...]] = {}


def register(sources: Mapping[str, Iterable[Cite]]) -> None:
    """Name the sources of rule ids. Registering an id again with other sources is a programming error."""
    for rule_id, cites in sources.items():
        cites = tuple(cites)
        if _SOURCES.get(rule_id, cites) != cites:
            raise ValueError(f"{rule_id} is already registered with other sources")
        _SOURCES[rule_id] = cites


def registered() -> frozenset[str]:
    return frozenset(_SOURCES)


def source(rule_id: str) -> str | None:
    """The citation as people read it (“《中国共产党章程》第七条；《…》第五条”), or None for a rule of the
    project's own making or an unknown id."""
    cites = _SOURCES.get(rule_id, ())
    # Translators: the separator between two cited documents.
    return gettext("；").join(c.text() for c in cites) or None


# “（REC-X）”, “(REC-X)”, “（REC-X：reason）”, “（REC-X: reason）”; the id itself is matched by `_ID`.
_ID = r"[A-Z]{1,5}(?:-[A-Z0-9]+)+"
_SUFFIX = re.compile(rf"\s*[（(]\s*(?P<id>{_ID})\s*(?:[：:]\s*(?P<reason>[^）)]*))?[）)]")


def plain_message(message: object, rule_id: str | None = None) -> str:
    """The message without the rule ids written into it: “…（REC-DATES）” → “…”, and “…（REC-X：满一年）” →
    “…（满一年）”. Only ids that are registered, or `rule_id`, are dropped: “（SHA-256）” stays."""
    text = str(message)

    def drop(match: re.Match) -> str:
        if match["id"] != rule_id and match["id"] not in _SOURCES:
            return match[0]
        reason = (match["reason"] or "").strip()
        return f"（{reason}）" if reason else ""

    return _SUFFIX.sub(drop, text).strip()


@dataclass(frozen=True)
class Citation:
    """A refusal or warning as a page shows it: the message once, its source, the rule id as a label."""

    message: str
    rule_id: str
    source: str | None


def citation(rule_id: str, message: object) -> Citation:
    return Citation(message=plain_message(message, rule_id), rule_id=rule_id, source=source(rule_id))


# The ids core itself owns.
register(
    {
        "CAL-WORKDAY": (),
        "API-VALIDATION": (),
        "INPUT-TEXT": (),
        "INPUT-INT": (),
        "INPUT-DATE": (),
        "INPUT-SIZE": (),
    }
)
