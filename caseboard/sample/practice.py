"""Simulate one synthetic dental practice as rows of the standard export tables.

Everything is drawn from one ``random.Random`` seeded for the practice, so the same
configuration always gives the same rows. Dates are held as proleptic ordinals
(``date.toordinal()``) and money as integer cents until the writer formats them.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from operator import itemgetter

from caseboard.sample import catalog

DIAGNOSTIC_COVERAGE = 1.0
BASIC_COVERAGE = 0.8
MAJOR_COVERAGE = 0.5
MAJOR_PREFIXES = ("D27", "D29", "D5", "D6", "D8", "D9")
NO_COVERAGE = frozenset({"D9944", "D9972", "D9986", "D9987"})


@dataclass(frozen=True)
class PracticeConfig:
    """What makes one practice: ids, seed, the simulated window and its size."""

    practice_id: str
    prefix: str
    seed: str
    start: date
    end: date
    hire: date | None
    scale: float = 1.0
    fee_factor: float = 1.0
    named_team: bool = True


@dataclass
class PracticeRows:
    """The simulated tables: lists of tuples in pipelines/schema.py column order.

    Dates are ordinals, amounts cents, datetimes (ordinal, minutes after midnight).
    Extra columns a real export might carry come last (procedures: tooth;
    payments: payer).
    """

    patients: list[tuple]
    team: list[tuple]
    treatment_plans: list[tuple]
    procedures: list[tuple]
    appointments: list[tuple]
    payments: list[tuple]
    adjustments: list[tuple]
    claims: list[tuple]


def _weekday(day: int) -> int:
    """The ordinal moved forward to a Monday-to-Friday day."""
    wd = (day - 1) % 7  # date.fromordinal(1) is a Monday
    return day + (7 - wd if wd >= 5 else 0)


def _coverage(code: str) -> float:
    if code in NO_COVERAGE:
        return 0.0
    if code.startswith(("D0", "D1")):
        return DIAGNOSTIC_COVERAGE
    if code.startswith(MAJOR_PREFIXES):
        return MAJOR_COVERAGE
    return BASIC_COVERAGE


def _has_tooth(code: str) -> bool:
    return code.startswith(("D2", "D3", "D6", "D7")) and code != "D6057"


COVERAGE = {code: _coverage(code) for code in catalog.CODES}
TOOTH_CODES = frozenset(filter(_has_tooth, catalog.CODES))
DESCRIPTIONS = {code: description for code, (description, _) in catalog.CODES.items()}


class _Random(random.Random):
    """``random.Random`` with the same draws, its hottest methods in one Python call each.

    randint and choice draw exactly what Random's own do (getrandbits(k) until below n,
    k = n.bit_length()); pick is choices(population, weights)[0] on accumulated weights.
    """

    def randint(self, a: int, b: int) -> int:
        """A whole number from a to b inclusive."""
        n = b - a + 1
        if n <= 0:
            raise ValueError(f"empty range for randint({a}, {b})")
        k = n.bit_length()
        v = self.getrandbits(k)
        while v >= n:
            v = self.getrandbits(k)
        return a + v

    def choice(self, seq):
        """One element of a non-empty sequence."""
        n = len(seq)
        if not n:
            raise IndexError("Cannot choose from an empty sequence")
        k = n.bit_length()
        v = self.getrandbits(k)
        while v >= n:
            v = self.getrandbits(k)
        return seq[v]

    def pick(self, population: list, cum_weights: list) -> object:
        """``choices(population, cum_weights=cum_weights)[0]``."""
        return population[bisect(cum_weights, self.random() * (cum_weights[-1] + 0.0), 0,
                                 len(population) - 1)]


def _cumulative(weights: list[int]) -> list[int]:
    return list(accumulate(weights))


class _Patient:
    __slots__ = ("pid", "dentist", "hygienist", "insured", "wo_rate", "perio", "first_visit")

    def __init__(self, pid: str, dentist: str, hygienist: str, insured: bool,
                 wo_rate: float, perio: bool) -> None:
        self.pid = pid
        self.dentist = dentist
        self.hygienist = hygienist
        self.insured = insured
        self.wo_rate = wo_rate
        self.perio = perio
        self.first_visit: int | None = None


class _Simulation:
    def __init__(self, cfg: PracticeConfig) -> None:
        self.cfg = cfg
        self.r = _Random(cfg.seed)
        self.start = cfg.start.toordinal()
        self.end = cfg.end.toordinal()
        self.hire = cfg.hire.toordinal() if cfg.hire else None
        self.fees = {
            code: int(round(fee * cfg.fee_factor)) * 100 for code, (_, fee) in catalog.CODES.items()
        }
        self.templates = [codes for _, codes in catalog.PLAN_TEMPLATES]
        self.template_weights = _cumulative([w for w, _ in catalog.PLAN_TEMPLATES])
        self.template_totals = {codes: sum(self.fees[c] for c in codes) for codes in self.templates}
        self.referrals = [s for _, s in catalog.REFERRAL_SOURCES]
        self.referral_weights = _cumulative([w for w, _ in catalog.REFERRAL_SOURCES])
        self.handles: dict[tuple[str, str], str] = {}
        self.procs: list[list] = []
        self.plans: list[list] = []
        self.appts: list[list] = []
        self.pays: list[list] = []
        self.adjs: list[list] = []
        self.claims: list[list] = []
        self.last_done: dict[str, int] = {}
        self.team = self._team()
        self.dentists = [m for m, _, role in self.team if role == "dentist"]
        self.hygienists = [m for m, _, role in self.team if role == "hygienist"]
        coordinators = [m for m, _, role in self.team if role == "coordinator"]
        self.coordinator = coordinators[0] if coordinators else None

    # team and people -----------------------------------------------------------------
    def _team(self) -> list[tuple[str, str, str]]:
        p = self.cfg.prefix
        ids = {"dentist": "D", "hygienist": "H", "office_manager": "OM", "front_desk": "FD",
               "coordinator": "TC"}
        counts: dict[str, int] = {}
        team = []
        for role, name in catalog.TEAM:
            if role == "coordinator" and self.cfg.hire is None:
                continue
            counts[role] = counts.get(role, 0) + 1
            if not self.cfg.named_team:
                first = self.r.choice(catalog.TEAM_FIRST)
                last = self.r.choice(catalog.TEAM_LAST)
                name = f"Dr. {first} {last}" if role == "dentist" else f"{first} {last}"
            team.append((f"{p}{ids[role]}{counts[role]}", name, role))
        return team

    def _phone(self) -> str:
        r = self.r
        return f"({r.choice(catalog.AREA_CODES)}) 555-01{r.randint(0, 99):02d}"

    def _person(self, pid: str, first_visit: int | None, status: str | None,
                first_visit_known: bool = True) -> tuple:
        r = self.r
        first = r.choice(catalog.FIRST_NAMES)
        last = r.choice(catalog.LAST_NAMES)
        phone = self._phone() if r.random() < 0.93 else None
        email = None
        if r.random() < 0.7:
            handle = self.handles.get((first, last))
            if handle is None:
                handle = "".join(
                    ch for ch in f"{first}.{last}".lower() if ch.isascii() and ch != "'")
                self.handles[first, last] = handle
            email = f"{handle}{r.randint(1, 99)}@example.com"
        age_days = int(r.triangular(3, 85, 42) * 365.25)
        birth = self.end - age_days if r.random() < 0.96 else None
        referral = r.pick(self.referrals, self.referral_weights) if r.random() < 0.8 else None
        fv = first_visit if first_visit_known else None
        if status == "active" and r.random() < 0.1:
            status = None  # an empty status cell means active
        return (pid, self.cfg.practice_id, first, last, phone, email, birth, status, fv, referral)

    # rows ------------------------------------------------------------------------------
    def _proc(self, pid: str, plan: list | None, provider: str | None, code: str, status: str,
              dx: int, sched: int | None = None, appt: int | None = None,
              comp: int | None = None, fee: int | None = None) -> list:
        tooth = str(self.r.randint(1, 32)) if code in TOOTH_CODES else None
        row = [pid, plan, provider, code, self.fees[code] if fee is None else fee, status, dx,
               sched, appt, comp, tooth]
        self.procs.append(row)
        if comp is not None and code not in ("D9986", "D9987"):
            last = self.last_done.get(pid)
            if last is None or comp > last:
                self.last_done[pid] = comp
        return row

    def _appt(self, pid: str, day: int, status: str, provider: str | None,
              booked: int | None) -> None:
        r = self.r
        start_min = 480 + 30 * r.randint(0, 17)
        booked_at = None
        if booked is not None:
            booked_at = (min(booked, day), 480 + r.randint(0, 540))
        self.appts.append([pid, (day, start_min), status, booked_at, provider])

    def _missed(self, pat: _Patient, day: int, provider: str) -> None:
        r = self.r
        broken = r.random() < 0.6
        self._appt(pat.pid, day, "broken" if broken else "unscheduled", provider, day - 30)
        if r.random() < 0.6:
            code = "D9986" if broken else "D9987"
            fee = 5000 if r.random() < 0.25 else 0
            self._proc(pat.pid, None, provider, code, "completed", day, day, day, day, fee)
            if fee:
                self._bill(pat, day, [(code, fee)])

    # money -----------------------------------------------------------------------------
    def _bill(self, pat: _Patient, day: int, items: list[tuple[str, int]]) -> None:
        r = self.r
        end = self.end
        total = sum(fee for _, fee in items)
        if total <= 0:
            return
        portion = total
        billed = wo = est = 0
        covered = False
        if pat.insured:
            wo_rate = pat.wo_rate
            for code, fee in items:
                coverage = COVERAGE[code]
                if coverage > 0:
                    covered = True
                    off = round(fee * wo_rate)
                    billed += fee
                    wo += off
                    est += round((fee - off) * coverage)
        if covered:
            if wo:
                self.adjs.append([pat.pid, day, -wo, "insurance_writeoff"])
            portion = total - wo - est
            portion += self._claim(pat, day, billed, est)
        elif not pat.insured and r.random() < 0.25:
            disc = round(total * 0.05)
            self.adjs.append([pat.pid, day, -disc, "discount"])
            portion -= disc
        if portion <= 0:
            return
        u = r.random()
        if portion >= 100000 and u < 0.45:
            self.pays.append([pat.pid, day, portion, "financing", "CareCredit"])
        elif u < 0.70:
            self.pays.append([pat.pid, day, portion, "patient", r.choice(catalog.CARD_METHODS)])
            if r.random() < 0.012:
                over = r.randint(20, 150) * 100
                self.pays.append([pat.pid, day, over, "patient", "Visa"])
                refund = _weekday(day + r.randint(14, 60))
                if refund <= end:
                    self.pays.append([pat.pid, refund, -over, "patient", "Visa"])
        elif u < 0.98:
            later = day + int(r.triangular(5, 120, 25))  # online and mailed payments, any day
            if later <= end:
                self.pays.append([pat.pid, later, portion, "patient",
                                  r.choice(catalog.CARD_METHODS)])
        else:
            charge_day = _weekday(day + 60)
            if charge_day <= end and r.random() < 0.5:
                self.adjs.append([pat.pid, charge_day, r.choice((1500, 2000, 2500)), "charge"])
            wo_day = _weekday(day + r.randint(120, 240))
            if wo_day <= end and r.random() < 0.85:
                self.adjs.append([pat.pid, wo_day, -portion, "writeoff"])

    def _claim(self, pat: _Patient, day: int, billed: int, est: int) -> int:
        """Add the visit's claim and insurance payment; return what moves to the patient."""
        r = self.r
        end = self.end
        row = [pat.pid, day, None, "unsent", billed, est, None, None]
        self.claims.append(row)
        if day > end - 4 and r.random() < 0.7:
            return 0
        if day > end - 45 and r.random() < 0.08:
            row[3] = "hold"
            return 0
        if r.random() < 0.002:
            return 0
        sent = _weekday(day + r.choice((0, 1, 1, 1, 2, 3)))
        if sent > end:
            return 0
        row[2] = sent
        row[3] = "sent"
        delay = max(5, int(r.gauss(24, 9)))
        if r.random() < 0.03:
            delay = r.randint(95, 300)
            if r.random() < 0.4:
                lost = _weekday(sent + 365)
                if lost <= end and r.random() < 0.7:
                    self.adjs.append([pat.pid, lost, -est, "writeoff"])
                return 0
        received = _weekday(sent + delay)
        if received > end:
            return 0
        v = r.random()
        paid = est if v < 0.88 else (0 if v < 0.9 else round(est * r.uniform(0.5, 0.95)))
        row[3] = "received"
        row[6] = paid
        row[7] = received
        if paid:
            self.pays.append([pat.pid, received, paid, "insurance",
                              "EFT" if r.random() < 0.7 else "Check"])
        short = est - paid
        if short <= 0:
            return 0
        if r.random() < 0.5:
            self.adjs.append([pat.pid, received, -short, "writeoff"])
            return 0
        return short

    # treatment -------------------------------------------------------------------------
    def _presenter(self, dx: int, dentist: str) -> str | None:
        r = self.r
        if self.hire is not None and dx >= self.hire and r.random() < 0.85:
            return self.coordinator
        return dentist if r.random() < 0.9 else None

    def _plan(self, pat: _Patient, dx: int) -> None:
        r = self.r
        end = self.end
        codes = r.pick(self.templates, self.template_weights)
        presenter = self._presenter(dx, pat.dentist)
        by_coordinator = presenter is not None and presenter == self.coordinator
        total = self.template_totals[codes]
        p_accept = 0.84 if by_coordinator else 0.6
        if total > 200000:
            p_accept *= 0.75 if by_coordinator else 0.6
        elif total > 100000:
            p_accept *= 0.9 if by_coordinator else 0.85
        plan = [pat.pid, dx, presenter, "active", None]
        self.plans.append(plan)
        accepted = r.random() < p_accept
        if accepted:
            same_day = r.random() < (0.4 if by_coordinator else 0.25)
            lag = 0 if same_day else min(85, 1 + int(r.expovariate(1 / 12)))
        elif r.random() < 0.12:
            accepted, lag = True, r.randint(95, 420)
        else:
            lag = 0
        sched = dx + lag
        taken = [accepted and (i == 0 or r.random() < 0.92) for i in range(len(codes))]
        if accepted and sched <= end:
            plan[4] = sched if r.random() < 0.8 else None
            plan[3] = "active" if r.random() < 0.6 else "saved"
            lead = 0 if (lag == 0 and total < 60000 and r.random() < 0.4) else r.randint(5, 35)
            chosen = [c for c, t in zip(codes, taken, strict=True) if t]
            first = [c for c in chosen if c not in catalog.SECOND_STAGE]
            second = [c for c in chosen if c in catalog.SECOND_STAGE]
            appt = self._treat(pat, plan, first, dx, sched, _weekday(sched + lead))
            if second:
                self._treat(pat, plan, second, dx, sched, _weekday(appt + r.randint(90, 150)))
        else:
            taken = [False] * len(codes)
        declined = [c for c, t in zip(codes, taken, strict=True) if not t]
        if declined:
            set_aside = r.random() < 0.3
            status = "inactive" if set_aside else "planned"
            for code in declined:
                self._proc(pat.pid, plan, pat.dentist, code, status, dx)
                if r.random() < 0.01:
                    self._proc(pat.pid, plan, pat.dentist, code, "deleted", dx)
            if not any(taken):
                plan[3] = "inactive" if set_aside else ("saved" if r.random() < 0.1 else "active")
            if not set_aside and r.random() < 0.25:
                self._appt(pat.pid, dx, "planned", pat.dentist, dx)

    def _treat(self, pat: _Patient, plan: list, codes: list[str], dx: int, sched: int,
               appt: int) -> int:
        """Book (and, up to the end date, do) the codes on one appointment; return its date."""
        r = self.r
        while appt <= self.end and r.random() < 0.07:
            self._missed(pat, appt, pat.dentist)
            appt = _weekday(appt + r.randint(7, 21))
        if appt > self.end:
            for code in codes:
                self._proc(pat.pid, plan, pat.dentist, code, "planned", dx, sched, appt)
            self._appt(pat.pid, appt, "scheduled", pat.dentist, sched)
            total = sum(self.fees[c] for c in codes)
            if total >= 100000 and r.random() < 0.3:
                self.pays.append([pat.pid, sched, int(round(total * 0.3, -2)), "patient", "Visa"])
            return appt
        items = []
        for code in codes:
            self._proc(pat.pid, plan, pat.dentist, code, "completed", dx, sched, appt, appt)
            items.append((code, self.fees[code]))
        self._appt(pat.pid, appt, "completed", pat.dentist, sched)
        self._bill(pat, appt, items)
        return appt

    # visits ----------------------------------------------------------------------------
    def _visit(self, pat: _Patient, day: int, new: bool, yearly: bool, booked: int) -> None:
        r = self.r
        hyg = pat.hygienist
        if new:
            codes = [("D0150", pat.dentist), ("D0210" if r.random() < 0.6 else "D0274", hyg)]
            if r.random() < 0.3:
                codes.append(("D0330", hyg))
        else:
            codes = [("D0120", pat.dentist)]
            if yearly:
                codes.append(("D0274", hyg))
        codes.append(("D4910" if pat.perio else "D1110", hyg))
        if r.random() < 0.15:
            codes.append(("D1206", hyg))
        items = []
        for code, provider in codes:
            self._proc(pat.pid, None, provider, code, "completed", day, day, day, day)
            items.append((code, self.fees[code]))
        self._appt(pat.pid, day, "completed", hyg, booked)
        self._bill(pat, day, items)
        if new:
            if r.random() < 0.4:
                for _ in range(r.randint(1, 3)):
                    code = r.choice(("D2740", "D2391", "D2392", "D3330", "D6065"))
                    self._proc(pat.pid, None, pat.dentist, code, "existing", day, fee=0)
        if r.random() < 0.08:
            self._proc(pat.pid, None, pat.dentist, "D0999", "condition", day, fee=0)
        if r.random() < 0.02:
            self._proc(pat.pid, None, pat.dentist, r.choice(("D3330", "D7240")), "referred", day)

    def _emergency(self, pat: _Patient, day: int) -> None:
        r = self.r
        items = [("D0140", self.fees["D0140"]), ("D0220", self.fees["D0220"])]
        extra = r.choice(("D9110", "D7140", "D7210", None))
        if extra:
            items.append((extra, self.fees[extra]))
        for code, _ in items:
            self._proc(pat.pid, None, pat.dentist, code, "completed", day, day, day, day)
        self._appt(pat.pid, day, "completed", pat.dentist, day)
        self._bill(pat, day, items)
        if r.random() < 0.5:
            self._plan(pat, day)

    def patient_history(self, pat: _Patient, first: int, new: bool) -> None:
        """Visits from ``first`` until the patient leaves or the window ends."""
        r = self.r
        end = self.end
        day = _weekday(first)
        booked = day - r.randint(3, 30)
        visits = 0
        while day <= end:
            if r.random() < 0.06:
                self._missed(pat, day, pat.hygienist)
                day = _weekday(day + r.randint(5, 25))
                if day > end:
                    break
            self._visit(pat, day, new and visits == 0, visits % 2 == 0, booked)
            if pat.first_visit is None:
                pat.first_visit = day
            if r.random() < (0.55 if new and visits == 0 else 0.22):
                self._plan(pat, day)
            visits += 1
            if r.random() < (0.45 if new and visits == 1 else 0.3):
                break
            gap = int(r.gauss(183, 15))
            if r.random() < 0.12:
                gap += r.randint(60, 300)
            if r.random() < 0.07:
                urgent = _weekday(day + r.randint(20, 150))
                if urgent <= end:
                    self._emergency(pat, urgent)
            booked = day
            day = _weekday(day + gap)
            if day > end and r.random() < 0.6:
                self._appt(pat.pid, day, "scheduled", pat.hygienist, booked)

    def run(self) -> PracticeRows:
        """Simulate every patient and return the finished tables."""
        r = self.r
        cfg = self.cfg
        scale = cfg.scale
        prefix = cfg.prefix
        patients: list[tuple] = []
        next_id = 1001

        def new_patient() -> _Patient:
            nonlocal next_id
            pid = f"{prefix}{next_id}"
            next_id += 1
            insured = r.random() < 0.68
            return _Patient(pid, r.choice(self.dentists) if r.random() < 0.5 else self.dentists[0],
                            r.choice(self.hygienists), insured,
                            r.uniform(0.12, 0.30) if insured else 0.0, r.random() < 0.12)

        established = int(680 * scale)
        starts = sorted(
            (self.start - r.randint(200, 3650), self.start + r.randint(0, 200))
            for _ in range(established)
        )
        for first_ever, first_in_window in starts:
            pat = new_patient()
            self.patient_history(pat, first_in_window, new=False)
            patients.append(self._finish(pat, first_ever, known=True))

        month = date(cfg.start.year, cfg.start.month, 1)
        months = (cfg.end.year - month.year) * 12 + cfg.end.month - month.month + 1
        index = 0
        while month <= cfg.end:
            nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
            growth = 0.92 + 0.16 * index / max(1, months - 1)  # 46 a month rising to 54
            index += 1
            count = max(0, round(r.gauss(50 * scale * growth, 6 * scale ** 0.5)))
            days = sorted(r.randint(month.toordinal(), nxt.toordinal() - 1) for _ in range(count))
            for day in days:
                pat = new_patient()
                self.patient_history(pat, day, new=True)
                patients.append(self._finish(pat, pat.first_visit, known=r.random() < 0.88))
            month = nxt

        for _ in range(int(12 * scale) + 1):
            pat = new_patient()
            day = _weekday(self.end + r.randint(1, 40))
            self._appt(pat.pid, day, "scheduled", pat.dentist, self.end - r.randint(0, 20))
            patients.append(self._person(pat.pid, None, "prospective"))
        for _ in range(int(8 * scale) + 1):
            pat = new_patient()
            patients.append(self._person(pat.pid, None, "nonpatient"))
        return self._rows(patients)

    def _finish(self, pat: _Patient, first_visit: int | None, known: bool) -> tuple:
        r = self.r
        if pat.first_visit is None:
            return self._person(pat.pid, None, "prospective")
        last = self.last_done.get(pat.pid)
        status = "active"
        u = r.random()
        if u < 0.004:
            status = "deceased"
        elif last is not None and last < self.end - 540:
            status = "inactive" if u < 0.35 else ("archived" if u < 0.42 else "active")
        return self._person(pat.pid, first_visit, status, known)

    def _rows(self, patients: list[tuple]) -> PracticeRows:
        p = self.cfg.prefix
        practice = self.cfg.practice_id
        by_date = itemgetter(1)
        self.plans.sort(key=by_date)
        for number, plan in enumerate(self.plans, start=1):
            plan.append(f"{p}{number}")
        plans = [(pl[5], practice, pl[0], pl[1], pl[2], pl[3], pl[4]) for pl in self.plans]
        self.procs.sort(key=itemgetter(6))
        descriptions = DESCRIPTIONS
        procs = [
            (f"{p}{n}", practice, pid, plan if plan is None else plan[5], provider, code,
             descriptions.get(code, "Condition: watch"), fee, status, dx, sched, appt, comp, tooth)
            for n, (pid, plan, provider, code, fee, status, dx, sched, appt, comp, tooth)
            in enumerate(self.procs, start=1)
        ]
        self.appts.sort(key=by_date)
        appts = [(f"{p}{n}", practice, *a) for n, a in enumerate(self.appts, start=1)]
        self.pays.sort(key=by_date)
        names = {pt[0]: f"{pt[2]} {pt[3]}" for pt in patients}
        r = self.r
        pays = [(f"{p}{n}", practice, pid, day, amount, source, method,
                 r.choice(catalog.INSURERS) if source == "insurance" else names[pid])
                for n, (pid, day, amount, source, method) in enumerate(self.pays, start=1)]
        self.adjs.sort(key=by_date)
        adjs = [(f"{p}{n}", practice, *a) for n, a in enumerate(self.adjs, start=1)]
        self.claims.sort(key=by_date)
        claims = [(f"{p}{n}", practice, *c) for n, c in enumerate(self.claims, start=1)]
        team = [(m, practice, name, role) for m, name, role in self.team]
        return PracticeRows(patients, team, plans, procs, appts, pays, adjs, claims)


def simulate(cfg: PracticeConfig) -> PracticeRows:
    """Simulate one practice."""
    return _Simulation(cfg).run()
