-- The practices loaded, for a database written before practice names were kept.
select
    practice_id,
    cast(null as varchar) as name
from (select distinct practice_id from metric_practices)
order by practice_id;
