-- Databases made before claims had a carrier (the insurance company's name,
-- data-format.md) get the column; new ones already have it (001_raw_tables.sql).
-- Their claims read as carrier NULL until the next load writes it.
alter table raw_claims add column if not exists carrier varchar;
