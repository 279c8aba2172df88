-- Log-in by phone (issue 27, item 7): one row per code asked for. The code itself is never
-- stored: code_hash is an HMAC-SHA256 of it under a key derived from auth.session_key.
-- A request for a number that belongs to no account that may log in by phone is kept too
-- (user_id NULL, a hash of nothing anyone knows), so the per-number and per-address limits
-- count it exactly like a real one and the answers cannot tell the two apart.
CREATE TABLE login_codes (
    id INTEGER PRIMARY KEY,
    user_id BIGINT REFERENCES users (id),
    -- an HMAC of the 10-digit number (the number itself is not kept here)
    phone_key TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    -- checks made against this code (right or wrong); at the limit the code is dead
    tries INTEGER NOT NULL DEFAULT 0,
    used_at TIMESTAMP,
    -- the address that asked for it (IPv6: its /64), for the per-address limit
    ip TEXT NOT NULL
);
CREATE INDEX login_codes_phone ON login_codes (phone_key, created_at);
CREATE INDEX login_codes_ip ON login_codes (ip, created_at);
CREATE INDEX login_codes_user ON login_codes (user_id);
