-- The language a villager used to file a complaint (issue 27): the complaint's SMS (its
-- number, each change of status) go in it. A table of its own: breakdowns has the 32
-- columns diesel takes without its slow 64-column feature. No row: the households' language.
CREATE TABLE complaint_langs (
    gp_id BIGINT NOT NULL REFERENCES places (id),
    breakdown_id BIGINT NOT NULL REFERENCES breakdowns (id),
    lang TEXT NOT NULL CHECK (lang IN ('en', 'hi')),
    PRIMARY KEY (gp_id, breakdown_id)
);
