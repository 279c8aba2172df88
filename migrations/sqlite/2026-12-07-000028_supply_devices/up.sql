-- Supply (issue 26, items 7 and 8): meters and sensors that push readings with a per-scheme
-- device token, their readings, and the daily check behind the supply reminders.

-- A device (a flow or energy meter's data logger) allowed to push readings for one scheme.
-- The token is shown once when made and stored only as its SHA-256 (like API tokens).
CREATE TABLE supply_devices (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    scheme_id BIGINT NOT NULL REFERENCES schemes (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP,
    revoked_by BIGINT REFERENCES users (id)
);
CREATE INDEX supply_devices_scheme ON supply_devices (gp_id, scheme_id);

-- One reading a device pushed: the bulk meter in litres and/or the energy meter in Wh, at a
-- moment (UTC) and on its India day. The same device and moment again is the same reading.
CREATE TABLE supply_readings (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    scheme_id BIGINT NOT NULL REFERENCES schemes (id) ON DELETE CASCADE,
    device_id BIGINT NOT NULL REFERENCES supply_devices (id) ON DELETE CASCADE,
    read_at TIMESTAMP NOT NULL,
    read_on DATE NOT NULL,
    bulk_meter_litres BIGINT CHECK (bulk_meter_litres >= 0),
    energy_meter_wh BIGINT CHECK (energy_meter_wh >= 0),
    created_at TIMESTAMP NOT NULL,
    CHECK (bulk_meter_litres IS NOT NULL OR energy_meter_wh IS NOT NULL)
);
CREATE UNIQUE INDEX supply_readings_moment ON supply_readings (gp_id, device_id, read_at);
CREATE INDEX supply_readings_day ON supply_readings (gp_id, scheme_id, read_on);

-- What the daily supply check found per scheme (one row per scheme and finding, replaced
-- each day): the reminder rules supply_lpcd_low and supply_energy_rising read it. period is
-- the finding's start (the first day below the norm; the last month of the three compared).
CREATE TABLE supply_watch (
    scheme_id BIGINT NOT NULL REFERENCES schemes (id) ON DELETE CASCADE,
    rule TEXT NOT NULL CHECK (rule IN ('supply_lpcd_low', 'supply_energy_rising')),
    gp_id BIGINT NOT NULL REFERENCES places (id),
    period TEXT NOT NULL,
    figure TEXT NOT NULL,
    link TEXT NOT NULL,
    checked_on DATE NOT NULL,
    PRIMARY KEY (scheme_id, rule)
);
CREATE INDEX supply_watch_gp ON supply_watch (gp_id, scheme_id);
