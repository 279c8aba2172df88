-- Preventive maintenance: plans, their task occurrences, and the log of work done.
CREATE TABLE maintenance_plans (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL,
    scheme_id BIGINT NOT NULL REFERENCES schemes (id),
    asset_id BIGINT REFERENCES assets (id),
    template_code TEXT,
    title TEXT NOT NULL,
    instructions TEXT,
    -- JSON array of checklist items (text)
    checklist TEXT NOT NULL DEFAULT '[]',
    -- JSON array of {name, unit, min, max}
    readings TEXT NOT NULL DEFAULT '[]',
    water_quality BOOLEAN NOT NULL DEFAULT FALSE,
    every_unit TEXT NOT NULL CHECK (every_unit IN ('day', 'week', 'month', 'year', 'window')),
    every_n INTEGER NOT NULL CHECK (every_n BETWEEN 1 AND 1000),
    start_on DATE NOT NULL,
    -- for yearly windows: MM-DD
    window_start TEXT,
    window_end TEXT,
    responsible_user_id BIGINT REFERENCES users (id),
    responsible_role TEXT,
    estimated_cost_paise BIGINT CHECK (estimated_cost_paise >= 0),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX maintenance_plans_gp ON maintenance_plans (gp_id, scheme_id, active);
CREATE INDEX maintenance_plans_asset ON maintenance_plans (asset_id);

CREATE TABLE maintenance_tasks (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL,
    scheme_id BIGINT NOT NULL,
    asset_id BIGINT,
    plan_id BIGINT NOT NULL REFERENCES maintenance_plans (id),
    due_on DATE NOT NULL,
    -- the last day of a window (window plans); otherwise the due date
    deadline_on DATE NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('open', 'done', 'skipped', 'cancelled')),
    done_on DATE,
    log_id BIGINT,
    skip_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (plan_id, due_on)
);
CREATE INDEX maintenance_tasks_gp ON maintenance_tasks (gp_id, state, due_on);
CREATE INDEX maintenance_tasks_scheme ON maintenance_tasks (gp_id, scheme_id, due_on);

CREATE TABLE maintenance_logs (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL,
    scheme_id BIGINT NOT NULL REFERENCES schemes (id),
    asset_id BIGINT REFERENCES assets (id),
    plan_id BIGINT REFERENCES maintenance_plans (id),
    task_id BIGINT REFERENCES maintenance_tasks (id),
    title TEXT NOT NULL,
    done_on DATE NOT NULL,
    -- JSON array of the people who did the work
    done_by TEXT NOT NULL DEFAULT '[]',
    -- JSON array of {item, done}
    checklist TEXT NOT NULL DEFAULT '[]',
    -- JSON array of {name, unit, value, min, max, out_of_range}
    readings TEXT NOT NULL DEFAULT '[]',
    out_of_range BOOLEAN NOT NULL DEFAULT FALSE,
    water_quality BOOLEAN NOT NULL DEFAULT FALSE,
    notes TEXT,
    cost_paise BIGINT CHECK (cost_paise >= 0),
    -- JSON array of {part, qty}
    parts TEXT NOT NULL DEFAULT '[]',
    recorded_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX maintenance_logs_scheme ON maintenance_logs (gp_id, scheme_id, done_on);
CREATE INDEX maintenance_logs_asset ON maintenance_logs (asset_id, done_on);
