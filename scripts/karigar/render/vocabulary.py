"""Words of the content that the interface catalogs translate: training kinds and common topics.

A training's ``topics`` are localized text (contract v1.1): a topic written
as a map shows its own translation.  The few topics the contract names as
examples are so common that writing them out in every file would only invite
two spellings of one word, so when such a topic is a plain English string the
interface catalog's translation is shown (a map still wins).  A training's
``kind`` is a fixed word of the contract, always shown through the catalogs
(cards, the training box, the calendar's categories).
"""

from __future__ import annotations

import functools

from karigar.model.types import LocalizedText
from karigar.render.locale import UiLocale

__all__ = ["COMMON_TOPICS", "kind_label", "topic_label", "topic_translated"]

# The source language of the catalogs' msgids: only an English topic can be looked up.
_SOURCE_LANG = "en"
COMMON_TOPICS = ("listing", "packaging", "payments", "shipping", "photography", "pricing")


@functools.lru_cache(maxsize=16)
def _labels(ui: UiLocale) -> dict[str, str]:
    # One literal call per word: message extraction reads them from here, with the context
    # that tells translators these are subjects of a training, not UI actions.
    pgettext = ui.pgettext
    return {
        "listing": pgettext("training topic", "listing"),
        "packaging": pgettext("training topic", "packaging"),
        "payments": pgettext("training topic", "payments"),
        "shipping": pgettext("training topic", "shipping"),
        "photography": pgettext("training topic", "photography"),
        "pricing": pgettext("training topic", "pricing"),
    }


def kind_label(ui: UiLocale, kind: str) -> str:
    """A training kind (``webinar``) as the interface names it (``Webinar``, ``ویبینار``)."""
    _ = ui.gettext
    return {"webinar": _("Webinar"), "workshop": _("Workshop"), "course": _("Course"),
            "guide": _("Guide"), "video": _("Video"), "toolkit": _("Toolkit")}.get(kind, kind)


def topic_label(ui: UiLocale, topic: LocalizedText) -> tuple[str, str]:
    """(label in ``ui``'s language, "") or (the default-language text, its code) as a marked fallback."""
    if topic.has(ui.lang):
        return topic.get(ui.lang), ""
    if topic.default_lang == _SOURCE_LANG:
        label = _labels(ui).get(topic.default.strip().casefold())
        if label is not None and (label != topic.default or ui.lang == _SOURCE_LANG):
            return label, ""
    return topic.default, topic.default_lang


def topic_translated(ui: UiLocale, topic: LocalizedText) -> bool:
    """True when ``topic`` reads in ``ui``'s language (for the coverage report)."""
    return topic_label(ui, topic)[1] == ""
