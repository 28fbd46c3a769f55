-- A deliberately wrong A/R view for the audit test: total 100 while the buckets hold 60.
create or replace view metric_ar_aging as
select
    60.0 as ar_0_30,
    0.0 as ar_31_60,
    0.0 as ar_61_90,
    0.0 as ar_91_plus,
    100.0 as total,
    0.0 as credit_balances;
