DROP TABLE assets;
DROP TABLE scheme_status_history;
DROP TABLE scheme_villages;
DROP TABLE schemes;
