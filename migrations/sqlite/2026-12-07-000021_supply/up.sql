-- The supply area (issue 26): each scheme's supply schedule and its daily supply log.

-- A scheme's usual supply: its sessions ("06:00-08:00,17:00-19:00", India time) and how
-- many days a week it supplies. A scheme without a row follows [supply] in the configuration.
CREATE TABLE supply_schedules (
    scheme_id BIGINT PRIMARY KEY REFERENCES schemes (id) ON DELETE CASCADE,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    sessions TEXT NOT NULL,
    days_per_week INTEGER NOT NULL CHECK (days_per_week BETWEEN 1 AND 7),
    updated_by BIGINT REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX supply_schedules_gp ON supply_schedules (gp_id, scheme_id);

-- One day's supply of a scheme, as a person (the operator) or later a device reported it.
-- Readings are integers: the bulk meter in litres (kL with 3 decimals), the energy meter in
-- watt-hours (kWh with 3 decimals). A reading lower than the one before says explicitly
-- whether the meter rolled over (at its capacity) or was replaced (a new series starts).
CREATE TABLE supply_logs (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    scheme_id BIGINT NOT NULL REFERENCES schemes (id) ON DELETE CASCADE,
    supply_on DATE NOT NULL,
    source TEXT NOT NULL DEFAULT 'person' CHECK (source IN ('person', 'device')),
    supplied TEXT NOT NULL CHECK (supplied IN ('as_usual', 'less', 'none')),
    reason TEXT CHECK (reason IN ('power_cut', 'motor_failure', 'pipe_burst', 'source_low', 'planned_maintenance', 'other')),
    sessions TEXT NOT NULL,
    supply_minutes INTEGER NOT NULL CHECK (supply_minutes BETWEEN 0 AND 1440),
    pumping_minutes INTEGER CHECK (pumping_minutes BETWEEN 0 AND 1440),
    bulk_meter_litres BIGINT CHECK (bulk_meter_litres >= 0),
    bulk_meter_event TEXT NOT NULL DEFAULT 'none' CHECK (bulk_meter_event IN ('none', 'rolled_over', 'replaced')),
    bulk_meter_capacity_litres BIGINT CHECK (bulk_meter_capacity_litres > 0),
    energy_meter_wh BIGINT CHECK (energy_meter_wh >= 0),
    energy_meter_event TEXT NOT NULL DEFAULT 'none' CHECK (energy_meter_event IN ('none', 'rolled_over', 'replaced')),
    energy_meter_capacity_wh BIGINT CHECK (energy_meter_capacity_wh > 0),
    chlorine_grams INTEGER CHECK (chlorine_grams >= 0),
    note TEXT,
    recorded_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX supply_logs_day ON supply_logs (gp_id, scheme_id, supply_on, source);
