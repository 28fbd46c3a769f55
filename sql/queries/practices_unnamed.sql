-- The practices loaded, for a database written before practice names were kept.
select
    practice_id,
    cast(null as varchar) as practice_name
from (select distinct practice_id from metric_practices) as p
order by practice_id;
