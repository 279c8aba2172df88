DROP TABLE sms_gp_off;
DROP TABLE sms_links;
DROP TABLE sms_outbox;
