"""Item analysis as Moodle's quiz statistics report computes it (question/classes/statistics, quiz_statistics).

Per question, over the attempts whose paper held it (marks = fraction × points):

* facility index: mean mark / maximum mark, in percent;
* standard deviation: sample SD (n − 1) of the marks, in percent of the maximum mark;
* discrimination index: the correlation of the question's mark with the rest of the test (total minus this
  question), in percent;
* discriminative efficiency: that covariance over the largest covariance the two sets of marks allow (both
  sorted), in percent;
* intended weight (points over paper points) and effective weight (Moodle's covariance-with-total share).

For the whole quiz: mean, median, SD (of each attempt's percentage), skewness, kurtosis, Cronbach's alpha
(coefficient of internal consistency) = 100·p/(p−1)·(1 − Σ slot variances / variance of totals), error ratio
= 100·√(1 − alpha/100), standard error = error ratio × SD / 100. When trainees draw different questions from the
bank (a blueprint), questions of one draw are Moodle's "random question" slots: such slots are exchangeable, so
their variance is taken around the mean of their draw. Where every paper holds the same questions this is exactly
Moodle's per-question variance.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class ItemStats:
    question: str
    qtype: str
    max_mark: float
    attempts: int
    facility: float | None
    sd: float | None
    discrimination_index: float | None
    discriminative_efficiency: float | None
    intended_weight: float | None
    effective_weight: float | None


@dataclass(frozen=True)
class QuizStats:
    attempts: int
    questions: int
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    cic: float | None
    error_ratio: float | None
    standard_error: float | None
    items: list[ItemStats]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), digits)


def _item(column: np.ndarray, totals: np.ndarray, max_mark: float) -> dict[str, float | None]:
    present = ~np.isnan(column)
    marks, total = column[present], totals[present]
    others = total - marks
    s = len(marks)
    mean = marks.mean() if s else 0.0
    result: dict[str, float | None] = {"attempts": s, "facility": 100 * mean / max_mark if max_mark and s else None}
    if s < 2:
        return result | {"sd": None, "di": None, "de": None, "cov_total": None}
    dm, do, dt = marks - mean, others - others.mean(), total - total.mean()
    var_mark, var_other = (dm @ dm) / (s - 1), (do @ do) / (s - 1)
    covariance = (dm @ do) / (s - 1)
    cov_max = ((np.sort(marks) - mean) @ (np.sort(others) - others.mean())) / (s - 1)
    product = var_mark * var_other
    return result | {
        "sd": 100 * np.sqrt(var_mark) / max_mark if max_mark else None,
        "di": 100 * covariance / np.sqrt(product) if product > 0 else None,
        "de": 100 * covariance / cov_max if cov_max else None,
        "cov_total": (dm @ dt) / (s - 1),
    }


def _slot_variance(marks: np.ndarray, groups: list[str], s: int) -> float:
    """Σ of the slot variances: per question where every paper holds it, else around the draw's mean."""
    total = 0.0
    present = ~np.isnan(marks)
    for group in sorted(set(groups)):
        columns = [j for j, name in enumerate(groups) if name == group]
        block, seen = marks[:, columns], present[:, columns]
        if seen.all():
            deviations = block - block.mean(axis=0)
        else:
            deviations = np.where(seen, block - np.nanmean(block), 0.0)
        total += float((deviations**2).sum()) / (s - 1)
    return total


def analyse(
    marks: np.ndarray, max_marks: np.ndarray, groups: list[str], codes: list[str], kinds: list[str]
) -> QuizStats:
    """Statistics for an attempts × questions matrix of marks (NaN where a paper did not hold the question)."""
    s, _q = marks.shape
    totals = np.nansum(marks, axis=1)
    paper_max = np.where(np.isnan(marks), 0.0, max_marks).sum(axis=1)
    counts = Counter((~np.isnan(marks)).sum(axis=1).tolist())
    p = counts.most_common(1)[0][0] if counts else 0
    raw = [_item(marks[:, j], totals, float(max_marks[j])) for j in range(len(codes))]
    positive = sum(np.sqrt(r["cov_total"]) for r in raw if r["cov_total"] is not None and r["cov_total"] >= 0)
    mean_paper = float(paper_max.mean()) if s else 0.0
    items = [
        ItemStats(
            question=codes[j],
            qtype=kinds[j],
            max_mark=float(max_marks[j]),
            attempts=int(r["attempts"] or 0),
            facility=_round(r["facility"]),
            sd=_round(r["sd"]),
            discrimination_index=_round(r["di"]),
            discriminative_efficiency=_round(r["de"]),
            intended_weight=_round(100 * max_marks[j] / mean_paper if mean_paper else None),
            effective_weight=_round(
                100 * np.sqrt(r["cov_total"]) / positive
                if positive and r["cov_total"] is not None and r["cov_total"] >= 0
                else None
            ),
        )
        for j, r in enumerate(raw)
    ]
    return QuizStats(attempts=s, questions=p, items=items, **_overall(marks, totals, paper_max, groups, p))


def _overall(
    marks: np.ndarray, totals: np.ndarray, paper_max: np.ndarray, groups: list[str], p: int
) -> dict[str, float | None]:
    s = len(totals)
    empty = dict.fromkeys(("mean", "median", "sd", "skewness", "kurtosis", "cic", "error_ratio", "standard_error"))
    if s == 0:
        return empty
    percent = np.divide(100 * totals, paper_max, out=np.zeros_like(totals), where=paper_max > 0)
    figures: dict[str, float | None] = empty | {"mean": _round(percent.mean()), "median": _round(np.median(percent))}
    if s < 2:
        return figures
    sd = float(np.sqrt(((percent - percent.mean()) ** 2).sum() / (s - 1)))
    figures["sd"] = _round(sd)
    if s < 3:
        return figures
    deviation = totals - totals.mean()
    m2, m3, m4 = (deviation**2).mean(), (deviation**3).mean(), (deviation**4).mean()
    k2 = s * m2 / (s - 1)
    if k2 == 0:
        return figures
    k3 = s * s * m3 / ((s - 1) * (s - 2))
    figures["skewness"] = _round(k3 / k2**1.5, 4)
    if s > 3:
        k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3))
        figures["kurtosis"] = _round(k4 / (k2 * k2), 4)
    if p > 1:
        cic = 100 * p / (p - 1) * (1 - _slot_variance(marks, groups, s) / k2)
        error_ratio = 100 * np.sqrt(1 - cic / 100) if cic <= 100 else None
        figures |= {"cic": _round(cic), "error_ratio": _round(error_ratio)}
        figures["standard_error"] = _round(error_ratio * sd / 100 if error_ratio is not None else None)
    return figures
