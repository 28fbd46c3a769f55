-- Dashboard: the warnings of each source's latest load (its load report's notes
-- that start with "warning: ", e.g. money in no clinic, a needed column blank on
-- every row), newest source first.
with latest as (
    select
        source_id,
        max(batch_id) as batch_id
    from loads
    group by source_id
)

select
    l.source_id,
    l.batch_id,
    substr(n.note, 10) as warning
from latest as l
inner join load_notes as n on l.batch_id = n.batch_id
where n.note like 'warning: %'
order by l.batch_id desc, n.note asc;
