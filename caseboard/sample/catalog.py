"""Fixed lists the synthetic practice draws from: CDT codes and fees, names, sources.

Every name here is invented; phone numbers are in the fictional 555-01xx range
and e-mail addresses use example.com.
"""

from __future__ import annotations

# code -> (description, fee in whole dollars)
CODES: dict[str, tuple[str, int]] = {
    "D0120": ("Periodic oral evaluation", 65),
    "D0140": ("Limited oral evaluation, problem focused", 95),
    "D0150": ("Comprehensive oral evaluation, new patient", 110),
    "D0210": ("Intraoral complete series of images", 150),
    "D0220": ("Intraoral periapical, first image", 35),
    "D0274": ("Bitewings, four images", 85),
    "D0330": ("Panoramic image", 130),
    "D1110": ("Prophylaxis, adult", 120),
    "D1120": ("Prophylaxis, child", 85),
    "D1206": ("Topical application of fluoride varnish", 45),
    "D1351": ("Sealant, per tooth", 55),
    "D2331": ("Resin-based composite, two surfaces, anterior", 215),
    "D2391": ("Resin-based composite, one surface, posterior", 190),
    "D2392": ("Resin-based composite, two surfaces, posterior", 245),
    "D2393": ("Resin-based composite, three surfaces, posterior", 295),
    "D2740": ("Crown, porcelain/ceramic", 1250),
    "D2950": ("Core buildup, including any pins", 300),
    "D2962": ("Labial veneer, porcelain laminate", 1150),
    "D3310": ("Endodontic therapy, anterior tooth", 850),
    "D3330": ("Endodontic therapy, molar tooth", 1150),
    "D4341": ("Periodontal scaling and root planing, per quadrant", 280),
    "D4342": ("Periodontal scaling and root planing, 1-3 teeth, per quadrant", 190),
    "D4910": ("Periodontal maintenance", 150),
    "D5110": ("Complete denture, maxillary", 1900),
    "D5120": ("Complete denture, mandibular", 1900),
    "D5213": ("Maxillary partial denture, cast metal framework", 1750),
    "D6010": ("Surgical placement of implant body, endosteal", 2300),
    "D6057": ("Custom fabricated abutment", 650),
    "D6065": ("Implant supported porcelain/ceramic crown", 1700),
    "D6240": ("Pontic, porcelain fused to high noble metal", 1150),
    "D7140": ("Extraction, erupted tooth or exposed root", 180),
    "D7210": ("Extraction, erupted tooth requiring removal of bone", 320),
    "D7240": ("Removal of impacted tooth, completely bony", 520),
    "D7953": ("Bone replacement graft for ridge preservation", 450),
    "D8090": ("Comprehensive orthodontic treatment of the adult dentition", 5800),
    "D9110": ("Palliative treatment of dental pain", 120),
    "D9944": ("Occlusal guard, hard appliance, full arch", 550),
    "D9972": ("External bleaching, per arch", 400),
    "D9986": ("Missed appointment", 0),
    "D9987": ("Cancelled appointment", 0),
}

# Treatment-plan templates: (weight, [codes]); "Q" repeats D4341 per quadrant.
PLAN_TEMPLATES: list[tuple[int, tuple[str, ...]]] = [
    (30, ("D2391",)),
    (18, ("D2392",)),
    (10, ("D2391", "D2392")),
    (6, ("D2393", "D2392", "D2391")),
    (5, ("D2331",)),
    (12, ("D2950", "D2740")),
    (5, ("D3330", "D2950", "D2740")),
    (2, ("D3310", "D2740")),
    (8, ("D4341", "D4341", "D4341", "D4341")),
    (4, ("D4342", "D4341")),
    (5, ("D7140",)),
    (3, ("D7210",)),
    (3, ("D7210", "D7953", "D6010", "D6057", "D6065")),
    (2, ("D6010", "D6057", "D6065")),
    (2, ("D5110", "D5120")),
    (1, ("D5213",)),
    (1, ("D2740", "D6240", "D2740")),
    (2, ("D9944",)),
    (2, ("D9972",)),
    (1, ("D8090",)),
    (1, ("D2962", "D2962")),
]

# Codes done in a later visit after the first step of a plan (implant restoration).
SECOND_STAGE = frozenset({"D6057", "D6065"})

FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Charles", "Karen", "Christopher", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony",
    "Sandra", "Mark", "Margaret", "Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily",
    "Paul", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda", "Brian",
    "Melissa", "George", "Deborah", "Timothy", "Stephanie", "Ronald", "Dorothy", "Jason",
    "Rebecca", "Edward", "Sharon", "Jeffrey", "Laura", "Ryan", "Cynthia", "Jacob", "Amy",
    "Gary", "Kathleen", "Nicholas", "Angela", "Eric", "Shirley", "Jonathan", "Brenda", "Noah",
    "Emma", "Liam", "Olivia", "Mateo", "Sofía", "José", "María", "Zoë", "Renée", "Chloé",
    "André", "Mei", "Hiroshi", "Priya", "Arjun", "Fatima", "Omar", "Ngozi", "Kwame", "Ingrid",
    "Lars", "Siobhán", "Eoin", "Ana", "Luis",
)

LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Muñoz", "Peña", "Ibáñez", "Müller",
    "Okafor", "Kowalski", "Nakamura", "Patel", "O'Brien", "Haugen", "Dubois", "Lefèvre",
    "Castañeda", "Novak", "Yilmaz", "Chen", "Kim", "Singh", "Murphy", "Fischer",
)

# The team of the single sample practice (obviously invented names).
TEAM = (
    ("dentist", "Dr. Ada Enamel"),
    ("dentist", "Dr. Ben Cuspid"),
    ("hygienist", "Hana Floss, RDH"),
    ("hygienist", "Theo Scaler, RDH"),
    ("office_manager", "Olive Ledger"),
    ("front_desk", "Frank Frontdesk"),
    ("front_desk", "Rosa Recall"),
    ("coordinator", "Tess Casewell"),
)

TEAM_FIRST = ("Ada", "Ben", "Cleo", "Dev", "Elena", "Femi", "Gus", "Ines", "Jon", "Kai", "Lena")
TEAM_LAST = ("Enamel", "Cuspid", "Molar", "Pulp", "Dentin", "Crown", "Canine", "Bicuspid",
             "Gingiva", "Incisor", "Root", "Bridge")

REFERRAL_SOURCES: tuple[tuple[int, str], ...] = (
    (30, "Google"),
    (14, "Insurance directory"),
    (8, "Walk-in"),
    (6, "Facebook"),
    (5, "Yelp"),
    (5, "Practice website"),
    (4, "Mailer"),
    (3, "Patient referral: J. Smith"),
    (3, "Patient referral: M. Garcia"),
    (2, "Patient referral: R. Nguyen"),
    (2, "Patient referral: L. Okafor"),
    (2, "Dr. Pulp Endodontics"),
)

AREA_CODES = ("312", "415", "503", "617", "720", "919")

INSURERS = ("Delta Dental", "MetLife", "Cigna Dental", "Aetna", "Guardian", "United Concordia")
CARD_METHODS = ("Visa", "Mastercard", "Amex", "Discover", "Debit card", "Cash", "Check")
