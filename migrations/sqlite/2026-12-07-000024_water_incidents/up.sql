-- Contamination incidents (issue 25, item 4): a test beyond the permissible limit, or with
-- bacteria present, opens an incident for its sampling point and parameter group
-- (bacteriological or chemical); a second positive attaches to the open one. Steps: open →
-- sent_to_lab → confirmed / not_confirmed (by a laboratory test at the point) →
-- remediating → retested (a later passing test) → closed. due_on is the current step's
-- deadline (from [water_quality.incidents]); the events are the timeline, remedial actions
-- among them (what, by whom, on which day).
CREATE TABLE water_incidents (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    point_id BIGINT NOT NULL REFERENCES sampling_points (id),
    scheme_id BIGINT NOT NULL REFERENCES schemes (id),
    grp TEXT NOT NULL CHECK (grp IN ('bacteriological', 'chemical')),
    -- the failing parameters' codes, comma-separated
    parameters TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'sent_to_lab', 'confirmed', 'not_confirmed', 'remediating', 'retested', 'closed')),
    opened_sample_id BIGINT NOT NULL REFERENCES water_samples (id),
    detected_on DATE NOT NULL,
    laboratory TEXT,
    sent_on DATE,
    lab_sample_id BIGINT REFERENCES water_samples (id),
    retest_sample_id BIGINT REFERENCES water_samples (id),
    due_on DATE,
    opened_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((status IN ('closed', 'not_confirmed')) = (closed_at IS NOT NULL)),
    CHECK (status <> 'closed' OR retest_sample_id IS NOT NULL)
);
CREATE INDEX water_incidents_status ON water_incidents (gp_id, status, due_on);
CREATE INDEX water_incidents_scheme ON water_incidents (gp_id, scheme_id, opened_at);
CREATE UNIQUE INDEX water_incidents_one_open ON water_incidents (gp_id, point_id, grp)
    WHERE status NOT IN ('closed', 'not_confirmed');

CREATE TABLE water_incident_events (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    incident_id BIGINT NOT NULL REFERENCES water_incidents (id),
    -- opened, positive_again, sent_to_lab, lab_result, remedial, retest, closed
    kind TEXT NOT NULL CHECK (kind IN ('opened', 'positive_again', 'sent_to_lab', 'lab_result', 'remedial', 'retest', 'closed')),
    from_status TEXT,
    to_status TEXT,
    sample_id BIGINT REFERENCES water_samples (id),
    -- a remedial action: chlorination, tank_cleaning, pipe_repair, alternate_source, advisory
    action TEXT CHECK (action IS NULL OR action IN ('chlorination', 'tank_cleaning', 'pipe_repair', 'alternate_source', 'advisory')),
    done_on DATE,
    done_by TEXT,
    note TEXT,
    user_id BIGINT REFERENCES users (id),
    actor_name TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX water_incident_events_incident ON water_incident_events (gp_id, incident_id, id);
