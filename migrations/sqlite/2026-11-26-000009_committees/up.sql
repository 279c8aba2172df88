-- The Paani Samiti: a GP's committee (or a ward/village sub-committee) and its members with
-- their terms. Past members stay: a term ends, it is never deleted.
CREATE TABLE committees (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    -- a ward/village sub-committee names its village; the GP's committee has none
    village_id BIGINT REFERENCES places (id),
    name TEXT NOT NULL,
    constituted_on DATE NOT NULL,
    -- the SC/ST share of the village population, when entered (percent)
    sc_st_population_percent INTEGER CHECK (sc_st_population_percent BETWEEN 0 AND 100),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX committees_gp ON committees (gp_id);

CREATE TABLE committee_members (
    id INTEGER PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees (id),
    gp_id BIGINT NOT NULL REFERENCES places (id),
    name TEXT NOT NULL,
    gender TEXT NOT NULL CHECK (gender IN ('female', 'male', 'other')),
    social_category TEXT NOT NULL CHECK (social_category IN ('sc', 'st', 'obc', 'general', 'other')),
    role TEXT NOT NULL,
    elected_gp_member BOOLEAN NOT NULL,
    phone TEXT,
    user_id BIGINT REFERENCES users (id),
    term_from DATE NOT NULL,
    -- the last day of the term; none while it runs
    term_to DATE,
    end_reason TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX committee_members_committee ON committee_members (committee_id, term_to);
