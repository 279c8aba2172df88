-- Billing, second part: payments with receipt numbers that are gapless per GP and financial
-- year, and the O&M fund's cash book. How a payment settles dues (oldest first, the rest as
-- advance) is worked out from the demands and the valid payments whenever it is needed, so a
-- cancellation recomputes every balance without rewriting anything.
CREATE TABLE receipt_counters (
    gp_id BIGINT NOT NULL REFERENCES places (id),
    -- the financial year, e.g. '2026-27' (April to March)
    fy TEXT NOT NULL,
    last_number BIGINT NOT NULL,
    PRIMARY KEY (gp_id, fy)
);

CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    household_id BIGINT NOT NULL REFERENCES households (id),
    fy TEXT NOT NULL,
    seq BIGINT NOT NULL,
    -- '<GP LGD>/<fy>/<seq, 6 digits>'
    receipt_no TEXT NOT NULL UNIQUE,
    amount_paise BIGINT NOT NULL CHECK (amount_paise > 0),
    paid_on DATE NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('cash', 'upi', 'bank', 'cheque')),
    reference TEXT,
    collected_by TEXT NOT NULL,
    -- as printed on the receipt when it was issued: the months it settled (first days) and
    -- the household's balance after it (negative: advance credit)
    covers_from DATE,
    covers_to DATE,
    balance_after_paise BIGINT NOT NULL,
    -- for the shareable receipt link
    token TEXT NOT NULL UNIQUE,
    idempotency_key TEXT,
    recorded_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    cancelled_at TIMESTAMP,
    cancelled_by BIGINT REFERENCES users (id),
    cancel_reason TEXT,
    UNIQUE (gp_id, fy, seq),
    UNIQUE (recorded_by, idempotency_key)
);
CREATE INDEX payments_household ON payments (household_id, paid_on);
CREATE INDEX payments_gp ON payments (gp_id, paid_on);

-- Everything else in and out of the O&M fund (tariff collections are the payments above).
CREATE TABLE cashbook_entries (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    entry_on DATE NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('opening', 'income', 'expense')),
    head TEXT NOT NULL,
    amount_paise BIGINT NOT NULL CHECK (amount_paise > 0),
    voucher_no TEXT,
    party TEXT,
    mode TEXT NOT NULL CHECK (mode IN ('cash', 'upi', 'bank', 'cheque')),
    reference TEXT,
    breakdown_id BIGINT REFERENCES breakdowns (id),
    task_id BIGINT REFERENCES maintenance_tasks (id),
    notes TEXT,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    cancelled_at TIMESTAMP,
    cancelled_by BIGINT REFERENCES users (id),
    cancel_reason TEXT
);
CREATE INDEX cashbook_gp ON cashbook_entries (gp_id, entry_on);

-- A plan's late fee, added to a demand still unpaid the plan's number of days after it fell
-- due (0: none).
ALTER TABLE demands ADD COLUMN late_fee_paise BIGINT NOT NULL DEFAULT 0 CHECK (late_fee_paise >= 0);
