-- Committee meetings: agenda, attendance (members present, and other villagers by count) and
-- the quorum worked out from them; planned, then held, then minutes approved (locked).
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees (id),
    gp_id BIGINT NOT NULL REFERENCES places (id),
    kind TEXT NOT NULL CHECK (kind IN ('monthly', 'gram_sabha', 'special', 'with_engineer')),
    held_on DATE NOT NULL,
    starts_at TEXT,
    venue TEXT,
    status TEXT NOT NULL CHECK (status IN ('planned', 'held', 'approved')),
    others_present INTEGER NOT NULL DEFAULT 0 CHECK (others_present >= 0),
    others_women INTEGER NOT NULL DEFAULT 0 CHECK (others_women >= 0),
    approved_at TIMESTAMP,
    approved_by BIGINT REFERENCES users (id),
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX meetings_committee ON meetings (committee_id, held_on);
CREATE INDEX meetings_gp ON meetings (gp_id, held_on);

CREATE TABLE meeting_agenda (
    id INTEGER PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    discussion TEXT,
    decision TEXT,
    UNIQUE (meeting_id, position)
);

CREATE TABLE meeting_attendance (
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    member_id BIGINT NOT NULL REFERENCES committee_members (id),
    PRIMARY KEY (meeting_id, member_id)
);
