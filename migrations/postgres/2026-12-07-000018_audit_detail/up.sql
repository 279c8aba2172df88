-- The audit log's detail in the reader's language: the message (a key of
-- templates/locales/*/main.ftl, `audit-detail-…`) and its arguments as a JSON object
-- ({"name": {"text": "Ram"}, "amount": {"money": 25000}, …}). Rows written before this have
-- neither and show their English `summary`, which every row still carries (for the CSV).
ALTER TABLE audit_log ADD COLUMN detail_key TEXT;
ALTER TABLE audit_log ADD COLUMN detail_args TEXT;
