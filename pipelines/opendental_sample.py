"""A synthetic Open Dental practice (never real patients) in Open Dental's own tables.

``generate()`` returns rows per Open Dental table with Open Dental's column
names and conventions (0 keys, 0001-01-01 blank dates, double money, integer
enums, letter claim statuses, keys above 2^53, sensitive columns filled with
fakes so tests can prove they are never read). ``write_folder()`` writes them
as comma-separated (RFC 4180) or tab-separated (``mysql --batch``) exports.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

BLANK_DATE = dt.date(1, 1, 1)
BLANK_DATETIME = dt.datetime(1, 1, 1)
PAT_BASE = 9_007_199_254_740_993  # 2^53 + 1: a float would lose it

CODES = [
    # CodeNum, ProcCode, Descript, fee
    (1, "D0150", "Comprehensive oral evaluation", 95.0),
    (2, "D1110", "Prophylaxis - adult", 110.0),
    (3, "D0274", "Bitewings - four films", 70.0),
    (4, "D2740", "Crown - porcelain/ceramic", 1250.0),
    (5, "D2391", "Resin composite - one surface, posterior", 180.0),
    (6, "D3330", "Endodontic therapy, molar", 1100.0),
    (7, "D4341", "Periodontal scaling and root planing", 260.0),
    (8, "D9986", "Missed appointment", 50.0),
    (9, "D2950", "Core buildup", 300.0),
]
TREATMENT = [4, 5, 6, 7, 9]


def _row(**values: object) -> dict[str, object]:
    return dict(values)


def generate(seed: int = 7, patients: int = 30, start: dt.date = dt.date(2025, 1, 6)) -> dict:
    """Rows per Open Dental table for a small two-clinic practice over ~6 months."""
    rng = random.Random(seed)
    t: dict[str, list[dict[str, object]]] = {
        name: []
        for name in (
            "clinic",
            "provider",
            "userod",
            "definition",
            "procedurecode",
            "patient",
            "referral",
            "refattach",
            "appointment",
            "procedurelog",
            "treatplan",
            "proctp",
            "payment",
            "paysplit",
            "adjustment",
            "claim",
            "claimproc",
        )
    }
    t["clinic"] += [
        _row(ClinicNum=1, Description="North office", Abbr="NORTH"),
        _row(ClinicNum=2, Description="South office", Abbr="SOUTH"),
    ]
    t["provider"] += [
        _row(ProvNum=1, Abbr="DOC1", FName="Dana", LName="Molar", IsSecondary=0, SSN="000000001"),
        _row(ProvNum=2, Abbr="HYG1", FName="", LName="", IsSecondary=1, SSN="000000002"),
    ]
    t["userod"] += [
        _row(UserNum=1, UserName="dmolar", Password="hash-not-a-secret-1", ProvNum=1),
        _row(UserNum=2, UserName="tc.jane", Password="hash-not-a-secret-2", ProvNum=0),
    ]
    t["definition"] += [
        _row(DefNum=100, Category=10, ItemName="Check", ItemValue=""),
        _row(DefNum=101, Category=10, ItemName="Visa", ItemValue=""),
        _row(DefNum=102, Category=10, ItemName="CareCredit", ItemValue=""),
        _row(DefNum=110, Category=1, ItemName="Professional courtesy", ItemValue="dp"),
        _row(DefNum=111, Category=1, ItemName="Bad debt", ItemValue="-"),
        _row(DefNum=112, Category=1, ItemName="Finance charge", ItemValue="+"),
    ]
    t["procedurecode"] += [
        _row(CodeNum=c, ProcCode=code, Descript=text, BaseUnits=0) for c, code, text, _ in CODES
    ]
    fees = {c: fee for c, _, _, fee in CODES}
    t["referral"] += [
        _row(ReferralNum=1, LName="", FName="", BusinessName="Google", SSN="", NotPerson=1),
        _row(ReferralNum=2, LName="Smith", FName="John", BusinessName="", SSN="123", NotPerson=0),
    ]
    ids = {
        "proc": 1000,
        "apt": 500,
        "tp": 300,
        "pay": 700,
        "split": 900,
        "claim": 50,
        "cp": 2000,
        "adj": 80,
        "ref": 10,
        "ptp": 4000,
    }

    def nxt(kind: str) -> int:
        ids[kind] += 1
        return ids[kind]

    def proc(pat, clinic, code, status, proc_date, date_tp, apt=0, units=1):
        num = nxt("proc")
        t["procedurelog"].append(
            _row(
                ProcNum=num,
                PatNum=pat,
                AptNum=apt,
                ProcDate=proc_date,
                ProcFee=fees[code],
                ProcStatus=status,
                ProvNum=1 if code not in (2, 3) else 2,
                ClinicNum=clinic,
                CodeNum=code,
                UnitQty=units,
                BaseUnits=0,
                DateTP=date_tp,
                SecDateEntry=dt.datetime.combine(
                    date_tp if date_tp.year > 1 else proc_date, dt.time(9)
                ),
            )
        )
        return num

    def appointment(pat, clinic, status, when, entered):
        num = nxt("apt")
        t["appointment"].append(
            _row(
                AptNum=num,
                PatNum=pat,
                AptStatus=status,
                AptDateTime=when,
                ProvNum=1,
                ClinicNum=clinic,
                SecDateTEntry=entered,
                Note="",
            )
        )
        return num

    def pay(pat, clinic, when, amount, pay_type):
        num = nxt("pay")
        t["payment"].append(
            _row(
                PayNum=num,
                PayType=pay_type,
                PayDate=when,
                PayAmt=amount,
                PatNum=pat,
                ClinicNum=clinic,
            )
        )
        t["paysplit"].append(
            _row(
                SplitNum=nxt("split"),
                SplitAmt=amount,
                PatNum=pat,
                PayNum=num,
                DatePay=when,
                ClinicNum=clinic,
                UnearnedType=0,
                ProvNum=1,
            )
        )

    def insurance(pat, clinic, proc_num, code, when):
        claim = nxt("claim")
        fee = fees[code]
        paid = round(fee * 0.5, 2)
        writeoff = round(fee * 0.2, 2)
        received = when + dt.timedelta(days=21)
        t["claim"].append(
            _row(
                ClaimNum=claim,
                PatNum=pat,
                DateService=when,
                DateSent=when + dt.timedelta(days=1),
                ClaimStatus="R",
                DateReceived=received,
                ClaimFee=fee,
                InsPayEst=paid,
                InsPayAmt=paid,
                ClaimType="P",
                ClinicNum=clinic,
                WriteOff=writeoff,
            )
        )
        t["claimproc"].append(
            _row(
                ClaimProcNum=nxt("cp"),
                ProcNum=proc_num,
                ClaimNum=claim,
                PatNum=pat,
                Status=1,
                InsPayAmt=paid,
                WriteOff=writeoff,
                DateCP=received,
                ProcDate=when,
                ClinicNum=clinic,
                ClaimPaymentNum=claim if claim % 5 else 0,  # some not on a check yet
                InsPayEst=paid,
                WriteOffEst=-1.0,
            )
        )
        return fee - paid - writeoff

    last_day = start + dt.timedelta(days=180)
    for i in range(patients):
        pat = PAT_BASE + i
        clinic = (0, 1, 2)[i % 3]
        status = 4 if i == patients - 1 else (0 if i % 11 else 2)
        first = start + dt.timedelta(days=rng.randrange(0, 150))
        t["patient"].append(
            _row(
                PatNum=pat,
                LName=f"Test{i}",
                FName=f"Pat{i}",
                PatStatus=status,
                Birthdate=dt.date(1960 + i % 40, 1 + i % 12, 1 + i % 28) if i % 5 else BLANK_DATE,
                HmPhone=f"555-01{i:02d}",
                WkPhone="",
                WirelessPhone=f"555-02{i:02d}" if i % 2 else "",
                Email=f"pat{i}@example.test" if i % 3 else "",
                ClinicNum=clinic,
                SSN=f"999-00-{i:04d}",
                DateFirstVisit=BLANK_DATE,
                AddrNote='line one, "quoted"\nline two\twith tab\\slash' if i % 7 == 0 else "",
            )
        )
        if i % 4 == 0:
            t["refattach"].append(
                _row(
                    RefAttachNum=nxt("ref"),
                    ReferralNum=1 + (i // 4) % 2,
                    PatNum=pat,
                    ItemOrder=1,
                    RefType=1,
                )
            )
        visit = appointment(
            pat,
            clinic,
            2,
            dt.datetime.combine(first, dt.time(8, 30)),
            dt.datetime.combine(first - dt.timedelta(days=7), dt.time(10)),
        )
        for code in (1, 2, 3):
            num = proc(pat, clinic, code, 2, first, BLANK_DATE, apt=visit)
            if i % 2:
                owed = insurance(pat, clinic, num, code, first)
                pay(pat, clinic, first, round(owed, 2), 100 + i % 3)
            else:
                pay(pat, clinic, first, fees[code], 100 + i % 3)
        treatment = rng.sample(TREATMENT, rng.randrange(1, 3))
        planned = [proc(pat, clinic, code, 1, BLANK_DATE, first) for code in treatment]
        plan_dates = [first] + ([first + dt.timedelta(days=14)] if i % 5 == 0 else [])
        for n, when in enumerate(plan_dates):
            plan = nxt("tp")
            t["treatplan"].append(
                _row(
                    TreatPlanNum=plan,
                    PatNum=pat,
                    DateTP=when,
                    TPStatus=0,
                    UserNumPresenter=2 if (i + n) % 3 else 1,
                    Heading="Saved plan",
                    Signature="sig-blob" if i % 4 == 1 else "",
                    DateTSigned=dt.datetime.combine(when, dt.time(11))
                    if i % 4 == 1
                    else BLANK_DATETIME,
                )
            )
            for item in planned:
                t["proctp"].append(
                    _row(ProcTPNum=nxt("ptp"), TreatPlanNum=plan, ProcNumOrig=item, PatNum=pat)
                )
        fate = rng.random()
        rows = t["procedurelog"][-len(planned) :]  # the rows just added for this plan
        if fate < 0.45:
            when = first + dt.timedelta(days=rng.randrange(7, 40))
            done = when < last_day - dt.timedelta(days=30)
            apt = appointment(
                pat,
                clinic,
                2 if done else 1,
                dt.datetime.combine(when, dt.time(13)),
                dt.datetime.combine(first + dt.timedelta(days=2), dt.time(15))
                if i % 6
                else BLANK_DATETIME,
            )
            for r in rows:
                r["AptNum"] = apt
                if done:
                    r["ProcStatus"], r["ProcDate"] = 2, when
                    owed = insurance(pat, clinic, r["ProcNum"], r["CodeNum"], when)
                    pay(pat, clinic, when + dt.timedelta(days=30), round(owed, 2), 100 + i % 3)
        elif fate < 0.6:
            apt = appointment(
                pat,
                clinic,
                5,
                dt.datetime.combine(first + dt.timedelta(days=20), dt.time(9)),
                dt.datetime.combine(first, dt.time(16)),
            )
            for r in rows:
                r["AptNum"] = apt
            proc(pat, clinic, 8, 2, first + dt.timedelta(days=20), BLANK_DATE)
        elif fate < 0.75:
            for r in rows:
                r["ProcStatus"] = 8
    # Rows on which Open Dental's own reports and caseboard differ (caseboard reconcile):
    # a zero-unit procedure, a prepayment (unearned split), a capitation write-off.
    proc(PAT_BASE, 0, 3, 2, start + dt.timedelta(days=10), BLANK_DATE, units=0)
    prepay = nxt("pay")
    t["payment"].append(
        _row(
            PayNum=prepay,
            PayType=101,
            PayDate=start + dt.timedelta(days=12),
            PayAmt=200.0,
            PatNum=PAT_BASE + 1,
            ClinicNum=1,
        )
    )
    t["paysplit"].append(
        _row(
            SplitNum=nxt("split"),
            SplitAmt=200.0,
            PatNum=PAT_BASE + 1,
            PayNum=prepay,
            DatePay=start + dt.timedelta(days=12),
            ClinicNum=1,
            UnearnedType=288,
            ProvNum=0,
        )
    )
    t["claimproc"].append(
        _row(
            ClaimProcNum=nxt("cp"),
            ProcNum=0,
            ClaimNum=0,
            PatNum=PAT_BASE + 1,
            Status=7,
            InsPayAmt=0.0,
            WriteOff=45.0,
            DateCP=start + dt.timedelta(days=50),
            ProcDate=start + dt.timedelta(days=50),
            ClinicNum=1,
            ClaimPaymentNum=0,
            InsPayEst=0.0,
            WriteOffEst=-1.0,
        )
    )
    transfer = nxt("pay")
    t["payment"].append(
        _row(
            PayNum=transfer,
            PayType=0,
            PayDate=start + dt.timedelta(days=40),
            PayAmt=0.0,
            PatNum=PAT_BASE,
            ClinicNum=0,
        )
    )
    for amount in (75.0, -75.0):
        t["paysplit"].append(
            _row(
                SplitNum=nxt("split"),
                SplitAmt=amount,
                PatNum=PAT_BASE,
                PayNum=transfer,
                DatePay=start + dt.timedelta(days=40),
                ClinicNum=0,
                UnearnedType=0,
                ProvNum=1 if amount > 0 else 2,
            )
        )
    for n, (def_num, amount) in enumerate(((110, -40.0), (111, -25.5), (112, 12.0))):
        t["adjustment"].append(
            _row(
                AdjNum=nxt("adj"),
                AdjDate=start + dt.timedelta(days=30 * n + 5),
                AdjAmt=amount,
                PatNum=PAT_BASE + n,
                AdjType=def_num,
                ClinicNum=(0, 1, 2)[n],
                AdjNote="note",
            )
        )
    t["claim"].append(
        _row(
            ClaimNum=nxt("claim"),
            PatNum=PAT_BASE + 1,
            DateService=start,
            DateSent=start,
            ClaimStatus="S",
            DateReceived=BLANK_DATE,
            ClaimFee=1250.0,
            InsPayEst=-1.0,
            InsPayAmt=0.0,
            ClaimType="PreAuth",
            ClinicNum=1,
            WriteOff=0.0,
        )
    )
    return t


def _text(value: object, *, tab: bool) -> str:
    if value is None:
        return "NULL" if tab else ""
    if isinstance(value, float):
        text = repr(value)
    elif isinstance(value, dt.datetime):
        text = f"{value.year:04d}-{value:%m-%d %H:%M:%S}"
    elif isinstance(value, dt.date):
        text = f"{value.year:04d}-{value:%m-%d}"
    else:
        text = str(value)
    if tab:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\x00", "\\0")
        )
    return text


def write_folder(tables: dict, folder: str | Path, *, tab: bool = False) -> Path:
    """Write each non-empty table as <table>.csv (RFC 4180) or <table>.txt (mysql --batch)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in tables.items():
        if not rows:
            continue
        columns: list[str] = []
        for row in rows:
            columns += [c for c in row if c not in columns]
        path = folder / (f"{table}.txt" if tab else f"{table}.csv")
        with open(path, "w", encoding="utf-8", newline="") as handle:
            if tab:
                handle.write("\t".join(columns) + "\n")
                for row in rows:
                    handle.write("\t".join(_text(row.get(c), tab=True) for c in columns) + "\n")
            else:
                writer = csv.writer(handle, lineterminator="\r\n")
                writer.writerow(columns)
                writer.writerows([_text(row.get(c), tab=False) for c in columns] for row in rows)
    return folder
