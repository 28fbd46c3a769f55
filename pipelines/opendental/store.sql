-- Replace one Open Dental source's raw rows (sql/schema/003_opendental.sql).
-- Reads the registered relations od_load (source_id, batch_id: one row) and
-- new_od_<table> (the adapter's extra_tables frames).
delete from od_patient
where source_id = (select source_id from od_load);
delete from od_procedurelog
where source_id = (select source_id from od_load);
delete from od_adjustment
where source_id = (select source_id from od_load);
delete from od_paysplit
where source_id = (select source_id from od_load);
delete from od_claimproc
where source_id = (select source_id from od_load);
insert into od_patient by name
select
    l.source_id,
    l.batch_id,
    r.*
from new_od_patient as r cross join od_load as l;
insert into od_procedurelog by name
select
    l.source_id,
    l.batch_id,
    r.*
from new_od_procedurelog as r cross join od_load as l;
insert into od_adjustment by name
select
    l.source_id,
    l.batch_id,
    r.*
from new_od_adjustment as r cross join od_load as l;
insert into od_paysplit by name
select
    l.source_id,
    l.batch_id,
    r.*
from new_od_paysplit as r cross join od_load as l;
insert into od_claimproc by name
select
    l.source_id,
    l.batch_id,
    r.*
from new_od_claimproc as r cross join od_load as l;
