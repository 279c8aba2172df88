-- The scheme page's kept figures (issue 33): the health card's figures drawn from rows whose
-- writes bump the GP's `gp_figures.changes` (breakdowns, tasks, demands, payments, the cash
-- book), computed by the first reader and kept while the GP's change count is the one seen
-- before computing and they are younger than dashboards.max_age_seconds, as the GP's own.
CREATE TABLE scheme_figures (
    scheme_id BIGINT PRIMARY KEY REFERENCES schemes (id) ON DELETE CASCADE,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    computed_changes BIGINT NOT NULL,
    computed_at TIMESTAMP NOT NULL,
    -- JSON: schemes::service::KeptFigures
    figures TEXT NOT NULL
);
