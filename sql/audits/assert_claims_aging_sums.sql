-- Audit: outstanding claims' aging buckets sum to their amount. Returns the row if not.
-- AM04 off here: the audit returns the view's whole row.
select *  -- noqa: AM04
from metric_claims_outstanding
where amount <> aging_0_30 + aging_31_60 + aging_61_90 + aging_91_plus;
