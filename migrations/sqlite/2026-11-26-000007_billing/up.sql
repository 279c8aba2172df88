-- Billing, first part: the household register, tariff plans with their history, and monthly
-- demands raised in runs.
CREATE TABLE households (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    village_id BIGINT NOT NULL REFERENCES places (id),
    scheme_id BIGINT REFERENCES schemes (id),
    connection_no TEXT NOT NULL,
    head_name TEXT NOT NULL,
    members INTEGER CHECK (members BETWEEN 1 AND 100),
    category TEXT NOT NULL,
    exempt_reason TEXT,
    connected_on DATE NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'disconnected', 'merged')),
    disconnected_on DATE,
    status_reason TEXT,
    phone TEXT,
    notes TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (gp_id, connection_no)
);
CREATE INDEX households_gp ON households (gp_id, status, category, connected_on);
CREATE INDEX households_village ON households (village_id);
CREATE INDEX households_phone ON households (phone);

-- A GP's charges from a month on; the plan in force for a month is the latest one starting on
-- or before its first day.
CREATE TABLE tariff_plans (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    effective_from DATE NOT NULL,
    connection_charge_paise BIGINT NOT NULL DEFAULT 0 CHECK (connection_charge_paise >= 0),
    late_fee_paise BIGINT CHECK (late_fee_paise >= 0),
    late_fee_after_days INTEGER CHECK (late_fee_after_days BETWEEN 1 AND 365),
    notes TEXT,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (gp_id, effective_from)
);

CREATE TABLE tariff_rates (
    plan_id BIGINT NOT NULL REFERENCES tariff_plans (id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    monthly_paise BIGINT NOT NULL CHECK (monthly_paise >= 0),
    PRIMARY KEY (plan_id, category)
);

-- One run per GP and raise; cancelling a run (before any payment) removes its demands and
-- keeps the run, marked cancelled.
CREATE TABLE demand_runs (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    month DATE NOT NULL,
    plan_id BIGINT NOT NULL REFERENCES tariff_plans (id),
    demands INTEGER NOT NULL,
    total_paise BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    cancelled_at TIMESTAMP,
    cancelled_by BIGINT REFERENCES users (id),
    cancel_reason TEXT
);
CREATE INDEX demand_runs_gp ON demand_runs (gp_id, month);

CREATE TABLE demands (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL,
    household_id BIGINT NOT NULL REFERENCES households (id),
    month DATE NOT NULL,
    run_id BIGINT NOT NULL REFERENCES demand_runs (id),
    amount_paise BIGINT NOT NULL CHECK (amount_paise > 0),
    due_on DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (household_id, month)
);
CREATE INDEX demands_gp_month ON demands (gp_id, month);
CREATE INDEX demands_run ON demands (run_id);
