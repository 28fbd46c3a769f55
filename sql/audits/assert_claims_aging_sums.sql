-- Audit: outstanding claims' aging buckets sum to their amount. Returns the row if not.
select *
from metric_claims_outstanding
where amount <> aging_0_30 + aging_31_60 + aging_61_90 + aging_91_plus;
