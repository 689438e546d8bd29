"""A statutory penalty in the words a lawyer writes: one function for the CLI, the law page
and every brief.

"무기 또는 5년 이상의 징역", "3년 이하의 징역 또는 3천만 원 이하의 벌금";
"imprisonment for life or for not less than 5 years",
"imprisonment for not more than 3 years or a fine not exceeding 30 million won".
The KB stores "N년 이상" without a cap as a maximum of 30 (Criminal Act Art. 42); that cap is
the general rule, not part of the offence's wording, so it is not printed.
"""

from __future__ import annotations

GENERAL_CAP_YEARS = 30.0


def _ko_digits(value: int) -> str:
    """1..9999 as Korean statutes write amounts: 3000 -> 3천, 2500 -> 2천5백, 10 -> 1십."""
    out = ""
    for unit, name in ((1000, "천"), (100, "백"), (10, "십")):
        digit, value = divmod(value, unit)
        if digit:
            out += f"{digit}{name}"
    return out + (str(value) if value else "")


def won_ko(amount: int) -> str:
    """30_000_000 -> '3천만 원', 100_000_000 -> '1억 원', 1_500 -> '1,500원'."""
    if amount <= 0 or amount % 10_000:
        return f"{amount:,}원"
    man = amount // 10_000
    eok, rest = divmod(man, 10_000)
    words = []
    if eok:
        words.append(f"{_ko_digits(eok)}억")
    if rest:
        words.append(f"{_ko_digits(rest)}만")
    return " ".join(words) + " 원"


def won_en(amount: int) -> str:
    """30_000_000 -> '30 million won', 1_000_000_000 -> '1 billion won'."""
    for size, name in ((1_000_000_000, "billion"), (1_000_000, "million")):
        if amount >= size and amount % (size // 10) == 0:
            return f"{amount / size:g} {name} won"
    return f"{amount:,} won"


def _years_ko(years: float) -> str:
    if years < 1:
        return f"{round(years * 12)}개월"
    return f"{years:g}년"


def _years_en(years: float) -> str:
    if years < 1:
        months = round(years * 12)
        return f"{months} month" + ("" if months == 1 else "s")
    return f"{years:g} year" + ("" if years == 1 else "s")


def penalty_words(
    prison_min: float | None,
    prison_max: float | None,
    life: bool,
    fine_max: int | None,
    lang: str,
) -> str:
    """The penalty of one paragraph as a lawyer writes it, in Korean (``ko``) or English."""
    lo = prison_min or None
    hi = None if life or (lo and prison_max == GENERAL_CAP_YEARS) else (prison_max or None)
    if lang == "ko":
        return _ko(lo, hi, life, fine_max)
    return _en(lo, hi, life, fine_max)


def _ko(lo: float | None, hi: float | None, life: bool, fine: int | None) -> str:
    prison = ""
    if life:
        prison = f"무기 또는 {_years_ko(lo)} 이상의 징역" if lo else "무기징역"
    elif lo and hi:
        prison = f"{_years_ko(lo)} 이상 {_years_ko(hi)} 이하의 징역"
    elif lo:
        prison = f"{_years_ko(lo)} 이상의 유기징역"
    elif hi:
        prison = f"{_years_ko(hi)} 이하의 징역"
    fine_text = f"{won_ko(fine)} 이하의 벌금" if fine else ""
    return " 또는 ".join(x for x in (prison, fine_text) if x) or "형벌 없음"


def _en(lo: float | None, hi: float | None, life: bool, fine: int | None) -> str:
    prison = ""
    if life:
        prison = "imprisonment for life" + (f" or for not less than {_years_en(lo)}" if lo else "")
    elif lo and hi:
        prison = f"imprisonment for not less than {_years_en(lo)} and not more than {_years_en(hi)}"
    elif lo:
        prison = f"imprisonment for not less than {_years_en(lo)}"
    elif hi:
        prison = f"imprisonment for not more than {_years_en(hi)}"
    fine_text = f"a fine not exceeding {won_en(fine)}" if fine else ""
    return " or ".join(x for x in (prison, fine_text) if x) or "no criminal penalty"
