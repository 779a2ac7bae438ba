"""The founding channels: academic spinouts, employee spinouts and founding after a release.

(Relocations of outside firms, which are not foundings, live in arrival.py.) Every new firm
records its origin, its parent and its lineage, so that family trees can be drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from ecosim.agents.firm import Origin
from ecosim.mechanisms import labour

if TYPE_CHECKING:
    from ecosim.agents.firm import Firm
    from ecosim.agents.medtech import Medtech
    from ecosim.agents.startup import Startup
    from ecosim.agents.university import University
    from ecosim.model import BioclusterModel


def inherited_quality(model: BioclusterModel, parent_quality: float | None) -> float:
    """Quality at founding: q = rho q_parent + (1 - rho) q_mean + noise (Klepper heredity)."""
    c = model.constants
    noise = model.rng.normal(0.0, c.quality_noise)
    if parent_quality is None:
        return _clip_quality(c.quality_mean + noise)
    mixed = c.quality_heredity * parent_quality + (1.0 - c.quality_heredity) * c.quality_mean
    return _clip_quality(mixed + noise)


def _clip_quality(quality: float) -> float:
    """``quality`` clipped to [0.01, 1] (numpy.clip's result, without its cost on one number)."""
    return float(min(max(quality, 0.01), 1.0))


def founded_kind(model: BioclusterModel, parent: Firm | None) -> type[Startup | Medtech]:
    """Which kind of firm a founding makes: a drug developer (Startup) or a device, diagnostics
    or service firm (Medtech).

    People who leave a firm found one of its kind (spinouts enter their parent's market: Klepper
    2007, Management Science 53: 616-631; Agarwal et al. 2004, Academy of Management Journal 47:
    501-522): a Medtech's people a Medtech, everyone else's a drug developer. A founding on a
    licensed discovery or a firm moving in, with no parent, is a Medtech at
    Constants.medtech_share, drawn from a stream of its own (no draw at 0, so that a model
    without them draws as before; at any share the draw itself leaves the model's other streams
    as they were, though the firms it makes then hire and release people like any firm).
    """
    from ecosim.agents.medtech import Medtech
    from ecosim.agents.startup import Startup

    if parent is not None:
        return Medtech if isinstance(parent, Medtech) else Startup
    share = model.constants.medtech_share
    return Medtech if share > 0.0 and model.streams["kinds"].random() < share else Startup


def found(
    model: BioclusterModel,
    *,
    origin: Origin,
    xy_km: np.ndarray,
    quality: float,
    parent: Firm | None = None,
    institution: str = "",
    cash: float | None = None,
    headcount: int | None = None,
    name: str = "",
    team: int | None = None,
    kind: type[Startup | Medtech] | None = None,
) -> Startup | Medtech:
    """Create a firm of ``kind`` (by default founded_kind's); registering it counts it in the
    ledger counter of its origin.

    Its people are ``team`` when the founders come with it (from a parent, or from the labour
    pool for released staff), else a founder and up to ``headcount - 1`` others hired from the
    pool (the founder is not taken from the pool: an academic or a serial founder, whose place
    at the parent is not vacated; a known gap in the people's accounting). ``cash`` and
    ``headcount`` default to the founders' money and team (Constants.seed_from_founders_musd,
    Constants.founding_team); a Medtech has no use for cash (it sells).
    """
    from ecosim.agents.medtech import Medtech
    from ecosim.agents.startup import Startup

    c = model.constants
    kind = founded_kind(model, parent) if kind is None else kind
    cash = c.seed_from_founders_musd if cash is None else cash
    headcount = c.founding_team if headcount is None else headcount
    people = team if team is not None else 1 + model.labour.take(headcount - 1)
    if kind is Medtech:
        return Medtech(
            model,
            origin=origin,
            xy_km=xy_km,
            quality=quality,
            headcount=people,
            parent=parent,
            institution=institution,
        )
    return Startup(
        model,
        xy_km=xy_km,
        origin=origin,
        quality=quality,
        cash=cash,
        headcount=people,
        parent=parent,
        name=name,
        institution=institution,
    )


def academic_spinout(model: BioclusterModel, university: University) -> Firm | None:
    """A licensed discovery may become a startup; it stays local with the cluster's pull.

    About 42% of faculty spinoffs stay in their university's region (Avnimelech & Feldman);
    a cluster with money and firms around keeps more of them.
    """
    c = model.constants
    if model.random.random() >= c.founding_share:
        return None
    stay = c.local_stay_share + (1.0 - c.local_stay_share) * model.local_pull()
    if model.random.random() >= stay:
        return None
    xy = model.settle_near(university.xy_km, c.spinout_radius_km)
    return found(
        model,
        origin=Origin.ACADEMIC,
        xy_km=xy,
        quality=inherited_quality(model, None) * (0.6 + 0.4 * min(1.0, university.research_strength)),
        institution=university.name,
    )


def employee_spinouts(model: BioclusterModel, parents: list[Firm]) -> list[Firm]:
    """Staff leave their employers to found firms at a rate rising with quality and success.

    The rate is vectorised over every parent: spinout_rate x headcount x quality x success.
    """
    if not parents:
        return []
    return _spin_out_staff(model, parents.__getitem__, _parents_numbers(model, parents))


def regional_spinouts(model: BioclusterModel) -> list[Firm]:
    """employee_spinouts of every firm of the region whose staff spin out (Firm.parents_spinouts),
    in the order of BioclusterModel.active_firms: the companies, oldest first (the order Mesa
    keeps them in), then the other firms. The companies' numbers are read from the CompanyTable
    at once, without a list of every company.
    """
    from ecosim.agents.startup import Companies  # the module imports this one

    table, other_table = model.companies, model.other_firm_table
    rows = table.alive_rows()
    # The other firms' numbers from their table (OtherFirmTable), their staff from each firm.
    other_rows, operating = other_table.operating()
    spins_out = other_table.columns["spins_out"][other_rows]
    other_rows = other_rows[spins_out]
    others = [firm for firm, spins in zip(operating, spins_out.tolist(), strict=True) if spins]
    if not len(rows) and not others:
        return []
    companies = Companies(model, rows)
    numbers = np.empty((3, len(rows) + len(others)))
    numbers[:, : len(rows)] = companies.headcount, companies.quality, companies.success()
    headcount = other_table.headcount(others)
    numbers[0, len(rows) :] = headcount
    numbers[1, len(rows) :] = other_table.columns["quality"][other_rows]
    numbers[2, len(rows) :] = other_table.success(other_rows, headcount)

    def parent(index: int) -> Firm:
        return table.firms[rows[index]] if index < len(rows) else others[index - len(rows)]

    return _spin_out_staff(model, parent, (numbers[0], numbers[1], numbers[2]))


def _spin_out_staff(
    model: BioclusterModel, parent: Callable[[int], Firm], numbers: tuple[np.ndarray, ...]
) -> list[Firm]:
    """The spinouts of parents whose staff, quality and success are ``numbers`` (one array
    each); ``parent(i)`` is the i-th parent.
    """
    c = model.constants
    headcount, quality, succ = numbers
    rates = c.spinout_rate / 12.0 * headcount * quality * succ
    counts = model.streams["spinouts"].poisson(rates)
    children: list[Firm] = []
    for index in np.flatnonzero(counts):
        firm = parent(int(index))
        for _ in range(int(counts[index])):
            # The founders leave their employer: a spinout's team is people the parent loses.
            team = min(c.founding_team, firm.headcount - 1)
            if team < 1:
                break
            firm.headcount -= team
            children.append(spin_out(model, firm, Origin.SPINOUT, team=team))
    return children


def _parents_numbers(model: BioclusterModel, parents: list[Firm]) -> tuple[np.ndarray, ...]:
    """Staff, quality and success of each parent (companies' from the CompanyTable at once)."""
    from ecosim.agents.startup import Companies, Startup  # the module imports this one

    rows = np.array([p.row if isinstance(p, Startup) else -1 for p in parents], dtype=np.int64)
    company = rows >= 0
    companies = Companies(model, rows[company])
    numbers = np.empty((3, len(parents)))
    numbers[:, company] = companies.headcount, companies.quality, companies.success()
    for i in np.flatnonzero(~company).tolist():
        numbers[:, i] = parents[i].headcount, parents[i].quality, parents[i].success()
    return numbers[0], numbers[1], numbers[2]


def spin_out(
    model: BioclusterModel,
    parent: Firm,
    origin: Origin,
    cash: float | None = None,
    team: int | None = None,
) -> Startup | Medtech:
    """One firm founded by people from ``parent``: inherits quality, settles near it; ``cash``
    defaults to the founders' money (Constants.seed_from_founders_musd).
    """
    xy = model.settle_near(parent.xy_km, model.constants.spinout_radius_km)
    parent.spinouts += 1
    return found(
        model,
        origin=origin,
        xy_km=xy,
        quality=inherited_quality(model, parent.quality),
        parent=parent,
        cash=cash,
        team=team,
    )


def release_talent(
    model: BioclusterModel, firm: Firm, released: int, boost: float = 1.0, seed_musd: float = 0.0
) -> None:
    """Staff leaving a firm that closed, cut staff or was bought join the labour pool; some of
    them mean to found a firm, and do so within three years if nobody has hired them first.

    Every person released is in the pool from the start, so nobody is counted twice: a would-be
    founder who is hired meanwhile founds nothing (found_after_release). Whether they are hired
    first depends on the region's monthly job-finding rate over the months they wait
    (LabourPool.still_looking_since): with people to spare few are hired, and in a region whose
    firms cannot fill their posts nearly all are. Entry into self-employment falls when jobs are
    easy to find (Evans & Leighton 1989, American Economic Review 79: 519-535; Fairlie 2013,
    Journal of Economics & Management Strategy 22: 207-231).

    Args:
        model: the model.
        firm: the firm they leave (the parent of what they found).
        released: how many leave.
        boost: factor on the founding odds (a reorganisation after a sale triggers spinouts).
        seed_musd: money each founder brings from the sale of their equity, USD m.
    """
    c = model.constants
    share = min(1.0, c.release_found_share * boost * (0.5 + firm.quality))
    founders = int(model.rng.binomial(released, share))
    model.labour.release(released)
    mark = model.labour.log_still_looking
    for _ in range(founders):
        delay = float(model.rng.integers(3, 37))
        model.later(delay, found_after_release, firm, seed_musd, mark)


def found_after_release(
    model: BioclusterModel, firm: Firm, seed_musd: float = 0.0, looking_since: float | None = None
) -> None:
    """A released employee (``looking_since``: the pool's job-finding mark when they were let go)
    or a serial founder (None) founds a firm in the release channel.

    A released employee founds only if still looking for a job, with the odds that the months
    since the release left them unhired; the founder and up to two colleagues then come from
    the labour pool (none left: they have all been hired). A serial founder (after a successful
    exit) founds regardless and hires up to ``Constants.founding_team - 1`` people from the pool.
    A would-be founder hired before their date founds anyway at Constants.hired_founders_found:
    they leave their new job (labour.leave_a_job) and bring whoever the pool still holds.
    """
    team = None
    if looking_since is not None:
        c = model.constants
        still_looking = model.random.random() < model.labour.still_looking_since(looking_since)
        team = model.labour.take(c.founding_team, post=False) if still_looking else 0
        if team == 0:
            # Hired meanwhile (or nobody left in the pool: everyone was hired): most take the job
            # and found nothing; a share of them leave it to found (Constants.hired_founders_found).
            # (With nobody in the region to leave a job, nobody founds.)
            leaves = c.hired_founders_found > 0.0 and model.random.random() < c.hired_founders_found
            if not (leaves and labour.leave_a_job(model)):
                model.ledger.count("release_founders_hired")
                return
            model.ledger.count("release_founders_left_job")
            team = 1 + model.labour.take(c.founding_team - 1, post=False)
    cash = model.constants.seed_from_founders_musd + seed_musd
    spin_out(model, firm, Origin.RELEASE, cash=cash, team=team)
