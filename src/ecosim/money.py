"""Money in the model's unit: US dollars at 2000 prices.

Every amount inside ecosim is in USD at 2000 prices (scenario fields named ``*_musd`` are USD
millions at those prices). People think in their own money: a Japanese ministry in yen of this
year, a historical source in dollars of its own year. This module converts between the two
through the one money table of the project, ``data/prices.csv``: the US GDP implicit price
deflator (BEA) and yearly exchange rates (Federal Reserve), each cited in the file.

An amount in currency C of year Y is exchanged into US dollars at year Y's average rate, then
moved to 2000 prices with the US deflator: ``usd_2000 = amount / (C per USD in Y) * P(2000) / P(Y)``.
Exchanging first and deflating with the US index keeps one price index for all money in the model
(a yen amount of 2021 buys what its dollar value bought in the US that year).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from ecosim.packagedata import data_file

MODEL_CURRENCY = "USD"
MODEL_PRICE_YEAR = 2000
CURRENCIES = ("USD", "JPY", "GBP")
SYMBOLS = {"USD": "USD", "JPY": "JPY", "GBP": "GBP"}


class MoneyError(ValueError):
    """An amount that the money table cannot convert (unknown currency, year outside the table)."""


@dataclass(frozen=True)
class PriceYear:
    """One row of the money table."""

    year: int
    usd_deflator: float
    jpy_per_usd: float
    usd_per_gbp: float
    provisional: bool

    def per_usd(self, currency: str) -> float:
        """Units of ``currency`` that one US dollar bought in this year (yearly average)."""
        if currency == "USD":
            return 1.0
        if currency == "JPY":
            return self.jpy_per_usd
        if currency == "GBP":
            return 1.0 / self.usd_per_gbp
        raise MoneyError(f"unknown currency {currency!r}; choose one of {', '.join(CURRENCIES)}")


@cache
def table() -> dict[int, PriceYear]:
    """The money table, by year."""
    path = data_file("prices.csv", "money table (deflator and exchange rates)")
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {
            int(row["year"]): PriceYear(
                year=int(row["year"]),
                usd_deflator=float(row["usd_deflator"]),
                jpy_per_usd=float(row["jpy_per_usd"]),
                usd_per_gbp=float(row["usd_per_gbp"]),
                provisional=row["provisional"].strip().lower() == "true",
            )
            for row in rows
        }


def years() -> range:
    """The years the money table covers."""
    known = table()
    return range(min(known), max(known) + 1)


def _row(year: int) -> PriceYear:
    row = table().get(int(year))
    if row is None or int(year) != year:
        span = years()
        raise MoneyError(f"no prices for year {year!r}; the money table covers {span.start}-{span.stop - 1}")
    return row


def _currency(currency: str) -> str:
    code = str(currency).upper()
    if code not in CURRENCIES:
        raise MoneyError(f"unknown currency {currency!r}; choose one of {', '.join(CURRENCIES)}")
    return code


def to_model_usd(amount: float, currency: str, year: int) -> float:
    """An amount of ``currency`` in prices of ``year``, in the model's unit (USD at 2000 prices).

    Args:
        amount: the amount, in any scale (units, millions: the result has the same scale).
        currency: "USD", "JPY" or "GBP".
        year: the year whose prices (and exchange rate) the amount is stated in.

    Raises:
        MoneyError: unknown currency or a year outside the table.
    """
    row = _row(year)
    usd_then = float(amount) / row.per_usd(_currency(currency))
    return usd_then * _row(MODEL_PRICE_YEAR).usd_deflator / row.usd_deflator


def from_model_usd(amount: float, currency: str, year: int) -> float:
    """An amount in the model's unit (USD at 2000 prices) in ``currency`` at prices of ``year``.

    The inverse of :func:`to_model_usd`.
    """
    row = _row(year)
    usd_then = float(amount) * row.usd_deflator / _row(MODEL_PRICE_YEAR).usd_deflator
    return usd_then * row.per_usd(_currency(currency))


@dataclass(frozen=True)
class Stated:
    """An amount as a user stated it: millions of a currency at prices of a year."""

    amount: float
    currency: str
    year: int

    KEYS = frozenset({"amount", "currency", "year"})

    @classmethod
    def parse(cls, value: dict) -> Stated:
        """Read ``{amount, currency, year}`` (all three, nothing else).

        Raises:
            MoneyError: a key missing or unknown, or a value of the wrong kind.
        """
        keys = set(value)
        if keys != cls.KEYS:
            missing, extra = sorted(cls.KEYS - keys), sorted(keys - cls.KEYS)
            parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
                [f"unknown {', '.join(extra)}"] if extra else []
            )
            raise MoneyError(
                "an amount in another currency is {amount: ..., currency: JPY|GBP|USD, year: YYYY} "
                f"({'; '.join(parts)})"
            )
        amount, year = value["amount"], value["year"]
        # A number as written, not a string or a bool read as one (the schemas' strict mode).
        if not isinstance(amount, int | float) or isinstance(amount, bool):
            raise MoneyError(f"amount must be a number, got {amount!r}")
        amount = float(amount)
        if not isinstance(year, int) or isinstance(year, bool):
            raise MoneyError(f"year must be a whole year, got {year!r}")
        return cls(amount, _currency(value["currency"]), year)

    def to_model(self) -> float:
        """The amount in the model's unit."""
        return to_model_usd(self.amount, self.currency, self.year)

    def describe(self) -> str:
        """'JPY 11,000 m (2021 prices)'."""
        return f"{self.currency} {self.amount:,.6g} m ({self.year} prices)"


def model_money(value: object) -> object:
    """A money field's value as the model takes it: a number stays (USD m at 2000 prices), a
    stated amount ``{amount, currency, year}`` (millions) is converted; anything else is left
    for the field's own validation.
    """
    if isinstance(value, dict):
        return Stated.parse(value).to_model()
    return value


def describe_model_usd(amount_musd: float) -> str:
    """'USD 1,234 m (2000 prices)' for an amount in the model's unit."""
    return f"USD {amount_musd:,.0f} m ({MODEL_PRICE_YEAR} prices)"


@cache
def _round_size_eras() -> tuple[tuple[int, int, float], ...]:
    path = data_file("round_sizes.csv", "round sizes by era")
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return tuple((int(r["from_year"]), int(r["to_year"]), float(r["index"])) for r in rows)


def round_size_index(year: float) -> float:
    """Real size of a venture round in ``year`` relative to the 2000s (data/round_sizes.csv):
    rounds of the 1980s and 1990s were about two-thirds of the 2000s' in real terms, those of
    the late 2010s about twice.
    """
    whole = int(year)
    for first, last, index in _round_size_eras():
        if first <= whole <= last:
            return index
    raise MoneyError(f"no round-size era covers {whole} (data/round_sizes.csv)")
