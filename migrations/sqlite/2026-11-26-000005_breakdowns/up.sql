-- Breakdowns and their timeline.
CREATE TABLE breakdowns (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL,
    scheme_id BIGINT NOT NULL REFERENCES schemes (id),
    asset_id BIGINT REFERENCES assets (id),
    number TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    supply TEXT NOT NULL CHECK (supply IN ('stopped', 'partial', 'none')),
    households_affected INTEGER CHECK (households_affected >= 0),
    started_at TIMESTAMP NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('app', 'public', 'api')),
    reported_by BIGINT REFERENCES users (id),
    reporter_name TEXT NOT NULL,
    reporter_phone TEXT,
    from_task_id BIGINT,
    status TEXT NOT NULL CHECK (status IN ('reported', 'acknowledged', 'in_progress', 'resolved', 'closed', 'reopened', 'rejected', 'duplicate')),
    assigned_name TEXT,
    assigned_phone TEXT,
    resolution TEXT,
    cost_paise BIGINT CHECK (cost_paise >= 0),
    duplicate_of BIGINT REFERENCES breakdowns (id),
    ack_due_at TIMESTAMP NOT NULL,
    resolve_due_at TIMESTAMP NOT NULL,
    acknowledged_at TIMESTAMP,
    resolved_at TIMESTAMP,
    closed_at TIMESTAMP,
    escalation_level INTEGER NOT NULL DEFAULT 0 CHECK (escalation_level BETWEEN 0 AND 2),
    escalated_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX breakdowns_gp ON breakdowns (gp_id, status, created_at);
CREATE INDEX breakdowns_scheme ON breakdowns (gp_id, scheme_id, created_at);
CREATE INDEX breakdowns_due ON breakdowns (status, resolve_due_at);

CREATE TABLE breakdown_events (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL,
    breakdown_id BIGINT NOT NULL REFERENCES breakdowns (id),
    kind TEXT NOT NULL CHECK (kind IN ('reported', 'transition', 'comment', 'escalated')),
    from_status TEXT,
    to_status TEXT,
    note TEXT,
    user_id BIGINT REFERENCES users (id),
    actor_name TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX breakdown_events_breakdown ON breakdown_events (gp_id, breakdown_id, id);
