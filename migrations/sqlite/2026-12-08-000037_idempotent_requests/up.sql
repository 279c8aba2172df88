-- Idempotency for every create (issue 28, item 3): a POST that carries a key (the
-- Idempotency-Key header, or an idempotency_key form field) claims it for its user inside
-- the transaction that makes the record (crate::audit::service::audited), so a key is
-- claimed exactly when its record exists. The response is kept beside it, and a retry with
-- the same key and the same request gets that response again instead of a second record.
CREATE TABLE idempotent_requests (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    -- as the client sent it: 1-200 visible ASCII characters
    idem_key TEXT NOT NULL,
    -- SHA-256 of the method, path and body (less the CSRF token and the key itself)
    request_hash TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    -- which request claimed it (random per request): a second audited write of the same
    -- request finds its own claim
    nonce TEXT NOT NULL,
    -- the first record the claiming transaction wrote, from its audit row
    entity TEXT,
    entity_id BIGINT,
    -- when the device says the work was done or the form was sent (Paani-Done-At), if it said
    device_at TIMESTAMP,
    -- the response, once it was sent: status, Location, Content-Type and body
    status INTEGER,
    location TEXT,
    content_type TEXT,
    body TEXT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (user_id, idem_key)
);
CREATE INDEX idempotent_requests_created ON idempotent_requests (created_at);
