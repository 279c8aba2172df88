DROP TABLE complaint_langs;
