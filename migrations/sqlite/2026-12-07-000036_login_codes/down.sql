DROP TABLE login_codes;
