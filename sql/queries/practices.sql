-- The practices loaded (any source) and the names their sources give them
-- (practice_names, e.g. Open Dental clinic abbreviations), for resolving a
-- practice asked for by id or name. One row per practice id; name is NULL when
-- no source names it, and lists every distinct name when sources disagree.
select
    p.practice_id,
    string_agg(distinct n.name, ' / ' order by n.name) as practice_name
from (select distinct practice_id from metric_practices) as p
left join practice_names as n on p.practice_id = n.practice_id
group by p.practice_id
order by p.practice_id;
