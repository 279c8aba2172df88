DROP TABLE cashbook_entries;
DROP TABLE payments;
DROP TABLE receipt_counters;
ALTER TABLE demands DROP COLUMN late_fee_paise;
