-- Dashboard: load history, newest first, with the number of rows quarantined per load.
select
    l.batch_id,
    l.source_id,
    l.format,
    l.full_export,
    l.started_at,
    l.finished_at,
    l.unchanged,
    l.counts,
    array_to_string(l.practices, ', ') as practices,
    count(r.batch_id) as rejected_rows
from loads as l
left join rejects as r on l.batch_id = r.batch_id
group by all
order by l.batch_id desc;
