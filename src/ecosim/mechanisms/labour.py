"""The regional labour market: the people firms hire from, and where they come from and go.

People enter the region's life-science labour pool as graduates and trainees of its
institutions (graduate), as staff let go by firms (releases) and by moving in; they leave it
by being hired, and every year some of the industry's people leave it for good (retirement,
other careers, other regions). A firm can hire only people who are there: growth meets the
limit of the people a region trains, keeps and draws, which is what bounds a real cluster.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from ecosim.rates import monthly_share

if TYPE_CHECKING:
    from ecosim.agents.firm import Firm
    from ecosim.model import BioclusterModel


MIN_STILL_LOOKING = 1e-9
"""Floor on a month's odds of staying unhired (a month that hires everyone), to keep logs finite."""


class LabourPool:
    """People available to hire in the region (a stock, in persons).

    Attributes:
        people: people looking for a job in the region's life-science industry now.
        graduated_total: graduates of the region's institutions who joined the pool so far (with
            the starting stock of job seekers, BioclusterModel.build_world).
        released_total: people firms let go so far.
        moved_in_total: people who moved into the region's labour pool so far.
        left_total: people who left the industry for good so far.
        hired_month: people hired from the pool this month.
        left_month: idle job seekers who left the pool this month without being hired (they
            were looking this month: the job-finding rate counts them).
        unfilled_month: posts asked of the pool this month and not filled without an employer
            named (a released founder's search for colleagues is not a post).
        unfilled_by: each employer's posts it could not fill this month, the largest gap it
            asked for (an employer that asks twice in a month for the same posts, on a grant and
            a round, has them open once).
        unfilled_last_month: last month's, less the people still in the pool at its end (who
            could have taken them): the open posts that draw movers this month.
        unfilled_total: open posts summed over the months so far.
        log_still_looking: the sum over past months of log(1 - f), f a month's job-finding rate
            (the share of that month's job seekers who were hired): a job seeker's odds of still
            looking after some months are exp of its change over them (still_looking_since).
    """

    def __init__(self, people: float = 0.0) -> None:
        self.people = float(people)
        self.graduated_total = 0.0
        self.released_total = 0.0
        self.moved_in_total = 0.0
        self.left_total = 0.0
        self.hired_month = 0
        self.left_month = 0.0
        self.unfilled_month = 0
        self.unfilled_by: dict[int, int] = {}
        self.unfilled_last_month = 0
        self.unfilled_total = 0
        self.log_still_looking = 0.0

    def add(self, people: float) -> None:
        """Graduates join the pool."""
        self.people += people
        self.graduated_total += people

    def release(self, people: float) -> None:
        """Staff let go by a firm join the pool."""
        self.people += people
        self.released_total += people

    def move_in(self, people: float) -> None:
        """People move into the region's labour pool from elsewhere."""
        self.people += people
        self.moved_in_total += people

    def take(self, wanted: int, post: bool = True, employer: int | None = None) -> int:
        """Hire up to ``wanted`` people from the pool; return how many were hired (only people
        who are there: nobody is hired out of thin air). Those not found count as unfilled
        posts unless ``post`` is False (a would-be founder looking for colleagues); an
        ``employer``'s (its unique id) count once a month, at the largest gap it left.
        """
        hired = max(0, min(int(wanted), int(self.people)))
        self.people -= hired
        self.hired_month += hired
        if post:
            unfilled = max(0, int(wanted)) - hired
            if employer is None:
                self.unfilled_month += unfilled
            elif unfilled > self.unfilled_by.get(employer, 0):
                self.unfilled_by[employer] = unfilled
        return hired

    @property
    def unfilled_this_month(self) -> int:
        """Posts open this month so far: those asked without an employer named, and each
        employer's largest gap.
        """
        return self.unfilled_month + sum(self.unfilled_by.values())

    def leave(self, people: float) -> None:
        """Idle job seekers leave the pool (other work, other regions, study, retirement)."""
        self.people -= people
        self.left_total += people
        self.left_month += people

    def close_month(self) -> None:
        """End a month: its job-finding rate, hires over hires and those still looking, lowers
        every job seeker's odds of still looking (a month in which firms took everyone makes
        them nil).
        """
        seekers = self.hired_month + self.people + self.left_month
        rate = self.hired_month / seekers if seekers > 0 else 0.0
        self.log_still_looking += math.log(max(MIN_STILL_LOOKING, 1.0 - rate))
        self.hired_month = 0
        self.left_month = 0.0
        self.unfilled_last_month = max(0, self.unfilled_this_month - int(self.people))
        self.unfilled_total += self.unfilled_last_month
        self.unfilled_month = 0
        self.unfilled_by.clear()

    def still_looking_since(self, mark: float) -> float:
        """Odds that a job seeker who joined the pool when ``log_still_looking`` was ``mark`` has
        not been hired since (every seeker equally likely to be hired in a month).
        """
        return math.exp(self.log_still_looking - mark)


def graduate(model: BioclusterModel) -> None:
    """One month of the open institutions' graduates and trainees join the pool: a university's
    or institute's degrees and postdocs, a hospital's residents and research staff
    (``talent_per_year`` / 12 each).
    """
    model.labour.add(sum(i.talent_per_year for i in model.institutions) / 12.0)


def employers(model: BioclusterModel) -> tuple[np.ndarray, list[Firm], np.ndarray]:
    """The region's employers: the rows of the active companies, the other firms (pharma sites,
    branches, device and service firms), and the staff of each, companies first (the order every
    draw among them uses).
    """
    rows = model.companies.alive_rows()
    others = model.other_firm_table.operating()[1]  # model.other_firms(), kept (OtherFirmTable)
    headcount = np.concatenate(
        [model.companies.columns["headcount"][rows], model.other_firm_table.headcount(others)]
    )
    return rows, others, headcount


def turn_over(model: BioclusterModel) -> None:
    """One month of the labour market's flows beyond hiring and letting go.

    Staff leave the industry at ``labour_exit_rate_year`` and their firms hire replacements from
    the pool; where the pool runs dry the firms shrink. The pool's idle job seekers leave it at
    ``seeker_exit_rate_year`` (work in other industries or regions; a twelfth of it a month, all
    of them from 12 a year) and people move in, at ``migration_rate_year`` of the industry's
    employment (people follow jobs), and, at ``movers_per_unfilled_post``, for each post left open
    last month (LabourPool.unfilled_last_month), both times the scenario's ``labour_mobility``
    (the constants' rates are the US's). With graduates a fixed flow and no movers for
    open posts, employment cannot outgrow what the region trains and draws: it settles where the
    exits match the inflows.
    """
    c = model.constants
    pool = model.labour
    table = model.companies
    rows, others, headcount = employers(model)
    employment = int(headcount.sum())
    leaving = model.rng.binomial(headcount, monthly_share(c.labour_exit_rate_year))
    pool.left_total += int(leaving.sum())
    pool.leave(float(model.rng.binomial(int(pool.people), min(1.0, c.seeker_exit_rate_year / 12.0))))
    # People follow jobs: besides the industry's usual movers, posts the region could not fill
    # last month draw people from elsewhere (Blanchard & Katz 1992: migration absorbs regional
    # demand).
    drawn = c.migration_rate_year / 12.0 * employment + c.movers_per_unfilled_post * pool.unfilled_last_month
    # Countries differ in how readily people change employers and move for a job (Japan's workers
    # far less than the US's: docs/EVIDENCE.md, section 1); the constants' rates are the US's.
    mobility = model.cluster.labour_mobility
    if mobility is not None:
        drawn *= mobility
    pool.move_in(float(model.rng.poisson(drawn)))
    replaced = pool.take(int(leaving.sum()))
    pool.close_month()
    unfilled = int(leaving.sum()) - replaced
    if unfilled <= 0:
        return
    # The vacancies the pool cannot fill fall on the firms at random, in proportion to their
    # leavers; nobody's last person goes.
    lost = model.rng.multivariate_hypergeometric(leaving, unfilled)
    shrunk = np.where(lost > 0, np.maximum(1, headcount - lost), headcount)
    table.columns["headcount"][rows] = shrunk[: len(rows)]
    for i in np.flatnonzero(lost[len(rows) :]):
        others[i].headcount = int(shrunk[len(rows) + i])


def leave_a_job(model: BioclusterModel) -> bool:
    """One person leaves a job in the region (to found a firm) and the employer fills the post
    from the pool when it can. The employer is drawn in proportion to staff among the companies
    and the other firms (pharma sites, branches, device and service firms), as turn_over's leavers
    are; nobody's last person goes. Returns whether anyone had a job to leave.
    """
    table = model.companies
    rows, others, headcount = employers(model)
    weights = np.where(headcount > 1, headcount, 0).astype(float)
    if weights.sum() == 0:
        return False
    pick = int(model.rng.choice(len(weights), p=weights / weights.sum()))
    if model.labour.take(1):  # the post is filled again at once
        return True
    if pick < len(rows):
        table.columns["headcount"][rows[pick]] -= 1
    else:
        others[pick - len(rows)].headcount -= 1
    return True
