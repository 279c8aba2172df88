DROP INDEX households_phone;
DROP TABLE complaint_langs;
