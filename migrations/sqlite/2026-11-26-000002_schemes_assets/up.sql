-- Schemes, the villages they serve, their status history, and their assets.
CREATE TABLE schemes (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_hi TEXT,
    imis_id TEXT,
    kind TEXT NOT NULL,
    source_kind TEXT,
    commissioned_on DATE,
    design_period_years INTEGER NOT NULL CHECK (design_period_years BETWEEN 1 AND 100),
    -- commissioned_on + design period, kept by the application so lists can filter on it
    design_end_on DATE,
    design_population INTEGER CHECK (design_population >= 0),
    planned_connections INTEGER CHECK (planned_connections >= 0),
    operator_name TEXT,
    operator_phone TEXT,
    status TEXT NOT NULL CHECK (status IN ('functional', 'partially_functional', 'non_functional', 'under_repair', 'decommissioned')),
    status_changed_at TIMESTAMP NOT NULL,
    notes TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX schemes_gp ON schemes (gp_id, status);
CREATE INDEX schemes_gp_kind ON schemes (gp_id, kind);

CREATE TABLE scheme_villages (
    scheme_id BIGINT NOT NULL REFERENCES schemes (id) ON DELETE CASCADE,
    village_id BIGINT NOT NULL REFERENCES places (id),
    gp_id BIGINT NOT NULL,
    PRIMARY KEY (scheme_id, village_id)
);
CREATE INDEX scheme_villages_village ON scheme_villages (village_id);

CREATE TABLE scheme_status_history (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL,
    scheme_id BIGINT NOT NULL REFERENCES schemes (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    changed_by BIGINT REFERENCES users (id),
    changed_by_name TEXT NOT NULL,
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX scheme_status_history_scheme ON scheme_status_history (gp_id, scheme_id, changed_at);

CREATE TABLE assets (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL,
    scheme_id BIGINT NOT NULL REFERENCES schemes (id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    installed_on DATE,
    expected_life_years INTEGER NOT NULL CHECK (expected_life_years BETWEEN 1 AND 100),
    -- installed_on + expected life, kept by the application so lists can filter on it
    end_of_life_on DATE,
    capacity DOUBLE PRECISION CHECK (capacity >= 0),
    capacity_unit TEXT,
    make TEXT,
    model TEXT,
    serial_no TEXT,
    warranty_until DATE,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    replacement_cost_paise BIGINT CHECK (replacement_cost_paise >= 0),
    notes TEXT,
    status TEXT NOT NULL CHECK (status IN ('working', 'needs_attention', 'failed', 'replaced', 'retired')),
    replaces_id BIGINT REFERENCES assets (id),
    replaced_by_id BIGINT REFERENCES assets (id),
    ended_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX assets_gp_scheme ON assets (gp_id, scheme_id, status);
CREATE INDEX assets_gp_kind ON assets (gp_id, kind);
CREATE INDEX assets_gp_end_of_life ON assets (gp_id, end_of_life_on);
