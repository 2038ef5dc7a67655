"""The console's figures, computed from recorded bot events (nothing is typed in).

- satisfaction: 👍 / (👍 + 👎), overall and per procedure;
- most asked procedures: answers given, by procedure;
- fallback rate per day: (fallbacks + unresolved procedures) / questions, where a
  question is any turn that got an answer, a fallback or a "not found";
- dossier lookups per day.
Days are Vietnam's calendar days (UTC+7, no daylight saving time).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Dict, Iterable, List, Mapping

from records.events import ANSWER, DOSSIER_LOOKUP, FALLBACK, FEEDBACK_DOWN, FEEDBACK_UP, UNRESOLVED, BotEvent

VIETNAM = timezone(timedelta(hours=7), "ICT")


def local_day(at: float) -> date:
    return datetime.fromtimestamp(at, VIETNAM).date()


def local_time_text(at: float) -> str:
    """A timestamp as staff read it: Vietnam time, whatever the server's time zone."""
    return datetime.fromtimestamp(at, VIETNAM).strftime("%d/%m/%Y %H:%M")


def day_start(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=VIETNAM).timestamp()


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class DayFigures:
    day: date
    questions: int = 0
    not_answered: int = 0
    lookups: int = 0

    @property
    def fallback_rate(self) -> float | None:
        return rate(self.not_answered, self.questions)


@dataclass
class ProcedureFigures:
    procedure_id: str
    name: str
    asked: int = 0
    up: int = 0
    down: int = 0

    @property
    def satisfaction(self) -> float | None:
        return rate(self.up, self.up + self.down)


@dataclass
class Figures:
    days: List[DayFigures]
    up: int = 0
    down: int = 0
    procedures: List[ProcedureFigures] = field(default_factory=list)

    @property
    def satisfaction(self) -> float | None:
        return rate(self.up, self.up + self.down)

    @property
    def questions(self) -> int:
        return sum(d.questions for d in self.days)

    @property
    def not_answered(self) -> int:
        return sum(d.not_answered for d in self.days)

    @property
    def fallback_rate(self) -> float | None:
        return rate(self.not_answered, self.questions)

    @property
    def lookups(self) -> int:
        return sum(d.lookups for d in self.days)

    def most_asked(self, limit: int = 10) -> List[ProcedureFigures]:
        asked = [p for p in self.procedures if p.asked]
        return sorted(asked, key=lambda p: (-p.asked, p.name))[:limit]

    def rated(self) -> List[ProcedureFigures]:
        rated = [p for p in self.procedures if p.up + p.down]
        return sorted(rated, key=lambda p: (p.satisfaction or 0.0, -(p.up + p.down), p.name))


def compute(events: Iterable[BotEvent], today: date, days: int, names: Mapping[str, str]) -> Figures:
    """Figures for the ``days`` calendar days ending ``today`` (events outside them are ignored)."""
    first = today - timedelta(days=days - 1)
    by_day: Dict[date, DayFigures] = {first + timedelta(days=i): DayFigures(first + timedelta(days=i))
                                      for i in range(days)}
    figures = Figures(list(by_day.values()))
    per_procedure: Dict[str, ProcedureFigures] = {}
    counts: Counter = Counter()
    for event in events:
        day = by_day.get(local_day(event.at))
        if day is None:
            continue
        counts[event.kind] += 1
        if event.kind in (ANSWER, FALLBACK, UNRESOLVED):
            day.questions += 1
            day.not_answered += event.kind != ANSWER
        elif event.kind == DOSSIER_LOOKUP:
            day.lookups += 1
        if event.procedure_id and event.kind in (ANSWER, FEEDBACK_UP, FEEDBACK_DOWN):
            proc = per_procedure.setdefault(
                event.procedure_id,
                ProcedureFigures(event.procedure_id, names.get(event.procedure_id, event.procedure_id)),
            )
            proc.asked += event.kind == ANSWER
            proc.up += event.kind == FEEDBACK_UP
            proc.down += event.kind == FEEDBACK_DOWN
    figures.up, figures.down = counts[FEEDBACK_UP], counts[FEEDBACK_DOWN]
    figures.procedures = list(per_procedure.values())
    return figures


@dataclass
class Bar:
    """One bar of an SVG chart, in the chart's own units."""

    x: float
    y: float
    width: float
    height: float
    label: str
    title: str


def bars(values: List[float], labels: List[str], titles: List[str], height: float = 120.0,
         width: float = 600.0) -> List[Bar]:
    """Bars scaled to the largest value; geometry is computed here so templates stay dumb."""
    top = max(values, default=0) or 1
    step = width / max(len(values), 1)
    out = []
    for i, (value, label, title) in enumerate(zip(values, labels, titles, strict=True)):
        h = height * value / top
        out.append(Bar(round(i * step + step * 0.15, 1), round(height - h, 1), round(step * 0.7, 1),
                       round(h, 1), label, title))
    return out


def as_json(figures: Figures) -> dict:
    """The API's view of the figures."""
    return {
        "satisfaction": figures.satisfaction, "up": figures.up, "down": figures.down,
        "questions": figures.questions, "not_answered": figures.not_answered,
        "fallback_rate": figures.fallback_rate, "lookups": figures.lookups,
        "days": [{"day": d.day.isoformat(), "questions": d.questions, "not_answered": d.not_answered,
                  "fallback_rate": d.fallback_rate, "lookups": d.lookups} for d in figures.days],
        "most_asked": [{"procedure_id": p.procedure_id, "name": p.name, "asked": p.asked}
                       for p in figures.most_asked()],
        "per_procedure": [{"procedure_id": p.procedure_id, "name": p.name, "up": p.up, "down": p.down,
                           "satisfaction": p.satisfaction} for p in figures.rated()],
    }
