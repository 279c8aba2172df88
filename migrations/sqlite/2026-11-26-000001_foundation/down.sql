DROP TABLE audit_log;
DROP TABLE login_attempts;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE places;
