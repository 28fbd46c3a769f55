"""Open Dental adapter: its tables (a folder of exports or a live database) -> the standard format.

The mapping is ../shared/spec/opendental.md. Both routes first produce the
same thing, one Polars frame of text per Open Dental table with only the
columns below (NULL as null), and then share one mapping, so a folder export
and a live database give identical standard tables.

Decisions the spec leaves open:
* practice_id: a row's non-zero ``ClinicNum`` as text (clinic ``Abbr`` is its
  name, listed in the notes); ``0``, or no ``clinic`` rows (clinics off), is
  the practice given at load (default ``main``). Team members belong to that
  practice too.
* deleted patients (PatStatus 4) are not loaded, and neither are their rows
  in other tables: those are dropped and counted in a note, not quarantined.
* a row that cannot be mapped (unknown status code, unparseable date or
  amount, a required date blank, a code or patient that does not exist) is
  quarantined with a reason naming the Open Dental table and key.
* a standard table is handed to the loader only when an Open Dental table it
  comes from was exported (no provider.csv/userod.csv: no team, so the loader
  skips provider checks instead of refusing every procedure).
* claimprocs on PreAuth claims are left out like the claims themselves.

The package, one module per job: ``catalogue`` (the tables and codes read),
``files`` (folder and zip exports), ``mysql`` (a live database), ``values``
(parsing Open Dental's text), ``mapping`` (to the standard tables) and ``raw``
(rows kept for reconciliation).
"""

from pipelines.opendental.catalogue import (
    DEFAULT_PRACTICE,
    FORMAT,
    OD_TABLES,
    REQUIRED_TABLES,
    SOURCES,
    OdTable,
    OpenDentalError,
)
from pipelines.opendental.files import export_files, looks_like_opendental, read_folder
from pipelines.opendental.mapping import map_tables
from pipelines.opendental.mysql import (
    mysql_fingerprint,
    mysql_params,
    mysql_timeout,
    read_mysql,
    redact_url,
)
from pipelines.opendental.raw import RAW_TABLES, store_opendental_raw

__all__ = [
    "DEFAULT_PRACTICE",
    "FORMAT",
    "OD_TABLES",
    "RAW_TABLES",
    "REQUIRED_TABLES",
    "SOURCES",
    "OdTable",
    "OpenDentalError",
    "export_files",
    "looks_like_opendental",
    "map_tables",
    "mysql_fingerprint",
    "mysql_params",
    "mysql_timeout",
    "read_folder",
    "read_mysql",
    "redact_url",
    "store_opendental_raw",
]
