-- Dashboard: quarantined rows with their reasons, newest load first.
-- Row data is left out: it may hold names and phone numbers.
select
    batch_id,
    table_name,
    file_name,
    row_number,
    row_key,
    column_name,
    value,
    reason
from rejects
order by batch_id desc, table_name asc, row_number asc
limit 1000;
