-- FTK kit stock (issue 25, item 8): kits and refill packs a GP received, each a batch with
-- its expiry and the number of tests it holds. What is left of a batch is its tests less the
-- FTK tests recorded that name it (water_samples.kit_batch), so recording a test is what
-- uses the stock, with no second count to drift. Water tests and sampling points also bump
-- the GP's dashboard change count now (the dashboards show the water-quality figures).
CREATE TABLE water_kit_batches (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    -- a whole kit, or a refill pack for a kit
    kind TEXT NOT NULL CHECK (kind IN ('kit', 'refill')),
    -- the batch printed on the pack: an FTK test names it (water_samples.kit_batch)
    batch TEXT NOT NULL,
    received_on DATE NOT NULL,
    expires_on DATE NOT NULL,
    -- how many tests it holds
    tests BIGINT NOT NULL CHECK (tests > 0),
    -- who supplied it (the PHED, the block, a vendor), as written
    supplied_by TEXT,
    notes TEXT,
    recorded_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    CHECK (expires_on >= received_on),
    UNIQUE (gp_id, batch)
);
CREATE INDEX water_kit_batches_expiry ON water_kit_batches (gp_id, expires_on);
-- the tests that used a batch are found by it
CREATE INDEX water_samples_kit_batch ON water_samples (gp_id, kit_batch);
CREATE TRIGGER water_samples_figures_insert AFTER INSERT ON water_samples BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id;
END;
CREATE TRIGGER water_samples_figures_update AFTER UPDATE ON water_samples BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id OR gp_id = OLD.gp_id;
END;
CREATE TRIGGER water_samples_figures_delete AFTER DELETE ON water_samples BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = OLD.gp_id;
END;
CREATE TRIGGER sampling_points_figures_insert AFTER INSERT ON sampling_points BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id;
END;
CREATE TRIGGER sampling_points_figures_update AFTER UPDATE ON sampling_points BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = NEW.gp_id OR gp_id = OLD.gp_id;
END;
CREATE TRIGGER sampling_points_figures_delete AFTER DELETE ON sampling_points BEGIN
    UPDATE gp_figures SET changes = changes + 1 WHERE gp_id = OLD.gp_id;
END;
