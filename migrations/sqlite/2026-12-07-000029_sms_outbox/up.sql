-- SMS (issue 27, items 1, 2 and 8): the outbox, like the e-mail one. Every message is a row,
-- queued by the code that has something to say (inside its own transaction) and sent by the
-- scheduler's sms_send job, one try at a time. A row is claimed (status 'sending', with a
-- lease) in a committed write before the provider is called, so no second or concurrent sweep
-- sends it again; a row whose sweep died mid-send is marked 'unknown' (never resent by itself).
CREATE TABLE sms_outbox (
    id INTEGER PRIMARY KEY,
    -- the GP the message belongs to (none: a user's OTP, say)
    gp_id BIGINT REFERENCES places (id),
    -- the number in international form without '+': 919812345678
    to_number TEXT NOT NULL,
    -- the message key (config/sms_templates.toml) and the language it is sent in
    msg_key TEXT NOT NULL,
    lang TEXT NOT NULL,
    -- the caller's variables, a JSON object
    vars TEXT NOT NULL,
    -- the approved template with its slots filled (empty when it could not be rendered)
    body TEXT NOT NULL,
    dlt_template_id TEXT NOT NULL,
    unicode BOOLEAN NOT NULL,
    -- the transport that sent it (sms.transport at the time)
    transport TEXT,
    status TEXT NOT NULL CHECK (status IN
        ('queued', 'sending', 'sent', 'delivered', 'failed', 'held', 'unknown')),
    urgent BOOLEAN NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    -- while 'sending': until when the sweep that claimed it holds it
    lease_until TIMESTAMP,
    provider_id TEXT,
    cost_paise BIGINT,
    last_error TEXT,
    -- one message per event: queuing the same key twice is a no-op
    dedupe_key TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    delivered_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX sms_outbox_due ON sms_outbox (status, next_attempt_at);
CREATE INDEX sms_outbox_gp ON sms_outbox (gp_id, created_at);
CREATE INDEX sms_outbox_to ON sms_outbox (to_number, sent_at);
CREATE INDEX sms_outbox_provider ON sms_outbox (provider_id);
-- short links for SMS: /s/<token> redirects to a page of this server (never elsewhere)
CREATE TABLE sms_links (
    token TEXT PRIMARY KEY,
    -- the path and query on this server, starting with '/'
    path TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);
-- a GP's switches: a message key named here is not sent for that GP
CREATE TABLE sms_gp_off (
    gp_id BIGINT NOT NULL REFERENCES places (id),
    msg_key TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (gp_id, msg_key)
);
