-- Open Dental tables as a real Open Dental database has them (types from its
-- 24.3 schema documentation: bigint keys, tinyint enums, double money,
-- 0001-01-01 blank dates, every column NOT NULL), reduced to the columns the
-- fixtures fill plus the sensitive ones the adapter must never read.
CREATE TABLE clinic (
    ClinicNum bigint(20) NOT NULL PRIMARY KEY,
    Description varchar(255) NOT NULL DEFAULT '',
    Abbr varchar(255) NOT NULL DEFAULT ''
);
CREATE TABLE provider (
    ProvNum bigint(20) NOT NULL PRIMARY KEY,
    Abbr varchar(255) NOT NULL DEFAULT '',
    LName varchar(100) NOT NULL DEFAULT '',
    FName varchar(100) NOT NULL DEFAULT '',
    SSN varchar(12) NOT NULL DEFAULT '',
    IsSecondary tinyint NOT NULL DEFAULT 0
);
CREATE TABLE userod (
    UserNum bigint(20) NOT NULL PRIMARY KEY,
    UserName varchar(255) NOT NULL DEFAULT '',
    Password varchar(255) NOT NULL DEFAULT '',
    ProvNum bigint(20) NOT NULL DEFAULT 0
);
CREATE TABLE definition (
    DefNum bigint(20) NOT NULL PRIMARY KEY,
    Category tinyint NOT NULL DEFAULT 0,
    ItemName varchar(255) NOT NULL DEFAULT '',
    ItemValue varchar(255) NOT NULL DEFAULT ''
);
CREATE TABLE procedurecode (
    CodeNum bigint(20) NOT NULL PRIMARY KEY,
    ProcCode varchar(15) NOT NULL DEFAULT '',
    Descript varchar(255) NOT NULL DEFAULT '',
    BaseUnits int(11) NOT NULL DEFAULT 0
);
CREATE TABLE patient (
    PatNum bigint(20) NOT NULL PRIMARY KEY,
    LName varchar(100) NOT NULL DEFAULT '',
    FName varchar(100) NOT NULL DEFAULT '',
    PatStatus tinyint NOT NULL DEFAULT 0,
    Birthdate date NOT NULL DEFAULT '0001-01-01',
    SSN varchar(100) NOT NULL DEFAULT '',
    HmPhone varchar(30) NOT NULL DEFAULT '',
    WkPhone varchar(30) NOT NULL DEFAULT '',
    WirelessPhone varchar(30) NOT NULL DEFAULT '',
    Email varchar(100) NOT NULL DEFAULT '',
    AddrNote text NOT NULL,
    DateFirstVisit date NOT NULL DEFAULT '0001-01-01',
    ClinicNum bigint(20) NOT NULL DEFAULT 0
);
CREATE TABLE referral (
    ReferralNum bigint(20) NOT NULL PRIMARY KEY,
    LName varchar(100) NOT NULL DEFAULT '',
    FName varchar(100) NOT NULL DEFAULT '',
    SSN varchar(9) NOT NULL DEFAULT '',
    NotPerson tinyint NOT NULL DEFAULT 0,
    BusinessName varchar(255) NOT NULL DEFAULT ''
);
CREATE TABLE refattach (
    RefAttachNum bigint(20) NOT NULL PRIMARY KEY,
    ReferralNum bigint(20) NOT NULL DEFAULT 0,
    PatNum bigint(20) NOT NULL DEFAULT 0,
    ItemOrder smallint NOT NULL DEFAULT 0,
    RefType tinyint(4) NOT NULL DEFAULT 0
);
CREATE TABLE appointment (
    AptNum bigint(20) NOT NULL PRIMARY KEY,
    PatNum bigint(20) NOT NULL DEFAULT 0,
    AptStatus tinyint NOT NULL DEFAULT 0,
    Note text NOT NULL,
    ProvNum bigint(20) NOT NULL DEFAULT 0,
    AptDateTime datetime NOT NULL DEFAULT '0001-01-01 00:00:00',
    ClinicNum bigint(20) NOT NULL DEFAULT 0,
    SecDateTEntry datetime NOT NULL DEFAULT '0001-01-01 00:00:00'
);
CREATE TABLE procedurelog (
    ProcNum bigint(20) NOT NULL PRIMARY KEY,
    PatNum bigint(20) NOT NULL DEFAULT 0,
    AptNum bigint(20) NOT NULL DEFAULT 0,
    ProcDate date NOT NULL DEFAULT '0001-01-01',
    ProcFee double NOT NULL DEFAULT 0,
    ProcStatus tinyint NOT NULL DEFAULT 0,
    ProvNum bigint(20) NOT NULL DEFAULT 0,
    PlannedAptNum bigint(20) NOT NULL DEFAULT 0,
    ClinicNum bigint(20) NOT NULL DEFAULT 0,
    CodeNum bigint(20) NOT NULL DEFAULT 0,
    UnitQty int(11) NOT NULL DEFAULT 1,
    BaseUnits int(11) NOT NULL DEFAULT 0,
    DateTP date NOT NULL DEFAULT '0001-01-01',
    SecDateEntry datetime NOT NULL DEFAULT '0001-01-01 00:00:00'
);
CREATE TABLE treatplan (
    TreatPlanNum bigint(20) NOT NULL PRIMARY KEY,
    PatNum bigint(20) NOT NULL DEFAULT 0,
    DateTP date NOT NULL DEFAULT '0001-01-01',
    Heading varchar(255) NOT NULL DEFAULT '',
    Signature text NOT NULL,
    TPStatus tinyint(4) NOT NULL DEFAULT 0,
    UserNumPresenter bigint(20) NOT NULL DEFAULT 0,
    DateTSigned datetime NOT NULL DEFAULT '0001-01-01 00:00:00'
);
CREATE TABLE proctp (
    ProcTPNum bigint(20) NOT NULL PRIMARY KEY,
    TreatPlanNum bigint(20) NOT NULL DEFAULT 0,
    PatNum bigint(20) NOT NULL DEFAULT 0,
    ProcNumOrig bigint(20) NOT NULL DEFAULT 0
);
CREATE TABLE payment (
    PayNum bigint(20) NOT NULL PRIMARY KEY,
    PayType bigint(20) NOT NULL DEFAULT 0,
    PayDate date NOT NULL DEFAULT '0001-01-01',
    PayAmt double NOT NULL DEFAULT 0,
    PatNum bigint(20) NOT NULL DEFAULT 0,
    ClinicNum bigint(20) NOT NULL DEFAULT 0
);
CREATE TABLE paysplit (
    SplitNum bigint(20) NOT NULL PRIMARY KEY,
    SplitAmt double NOT NULL DEFAULT 0,
    PatNum bigint(20) NOT NULL DEFAULT 0,
    PayNum bigint(20) NOT NULL DEFAULT 0,
    ProvNum bigint(20) NOT NULL DEFAULT 0,
    DatePay date NOT NULL DEFAULT '0001-01-01',
    UnearnedType bigint(20) NOT NULL DEFAULT 0,
    ClinicNum bigint(20) NOT NULL DEFAULT 0,
    ProcNum bigint(20) NOT NULL DEFAULT 0
);
CREATE TABLE adjustment (
    AdjNum bigint(20) NOT NULL PRIMARY KEY,
    AdjDate date NOT NULL DEFAULT '0001-01-01',
    AdjAmt double NOT NULL DEFAULT 0,
    PatNum bigint(20) NOT NULL DEFAULT 0,
    AdjType bigint(20) NOT NULL DEFAULT 0,
    AdjNote text NOT NULL,
    ClinicNum bigint(20) NOT NULL DEFAULT 0,
    ProcNum bigint(20) NOT NULL DEFAULT 0
);
CREATE TABLE claim (
    ClaimNum bigint(20) NOT NULL PRIMARY KEY,
    PatNum bigint(20) NOT NULL DEFAULT 0,
    DateService date NOT NULL DEFAULT '0001-01-01',
    DateSent date NOT NULL DEFAULT '0001-01-01',
    ClaimStatus char(1) NOT NULL DEFAULT '',
    DateReceived date NOT NULL DEFAULT '0001-01-01',
    ClaimFee double NOT NULL DEFAULT 0,
    InsPayEst double NOT NULL DEFAULT 0,
    InsPayAmt double NOT NULL DEFAULT 0,
    ClaimType varchar(255) NOT NULL DEFAULT '',
    WriteOff double NOT NULL DEFAULT 0,
    ClinicNum bigint(20) NOT NULL DEFAULT 0,
    PlanNum bigint(20) NOT NULL DEFAULT 0
);
CREATE TABLE insplan (
    PlanNum bigint(20) NOT NULL PRIMARY KEY,
    CarrierNum bigint(20) NOT NULL DEFAULT 0
);
CREATE TABLE carrier (
    CarrierNum bigint(20) NOT NULL PRIMARY KEY,
    CarrierName varchar(255) NOT NULL DEFAULT ''
);
CREATE TABLE claimproc (
    ClaimProcNum bigint(20) NOT NULL PRIMARY KEY,
    ProcNum bigint(20) NOT NULL DEFAULT 0,
    ClaimNum bigint(20) NOT NULL DEFAULT 0,
    PatNum bigint(20) NOT NULL DEFAULT 0,
    InsPayEst double NOT NULL DEFAULT 0,
    Status tinyint NOT NULL DEFAULT 0,
    InsPayAmt double NOT NULL DEFAULT 0,
    ClaimPaymentNum bigint(20) NOT NULL DEFAULT 0,
    DateCP date NOT NULL DEFAULT '0001-01-01',
    WriteOff double NOT NULL DEFAULT 0,
    ProcDate date NOT NULL DEFAULT '0001-01-01',
    WriteOffEst double NOT NULL DEFAULT -1,
    ClinicNum bigint(20) NOT NULL DEFAULT 0
);
