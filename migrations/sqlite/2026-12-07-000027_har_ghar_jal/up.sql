-- Har Ghar Jal (issue 26, item 5): per village, the certification checklist, and its status:
-- none, then reported by the Gram Panchayat (checklist complete, the Gram Sabha's resolution
-- with its date and a scanned copy), then certified by the district, with dates and who.
CREATE TABLE har_ghar_jal (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    village_id BIGINT NOT NULL REFERENCES places (id),
    every_household_tap BOOLEAN NOT NULL DEFAULT FALSE,
    schools_connected BOOLEAN NOT NULL DEFAULT FALSE,
    anganwadis_connected BOOLEAN NOT NULL DEFAULT FALSE,
    no_leakages BOOLEAN NOT NULL DEFAULT FALSE,
    roads_restored BOOLEAN NOT NULL DEFAULT FALSE,
    resolution_on DATE,
    notes TEXT,
    status TEXT NOT NULL DEFAULT 'none' CHECK (status IN ('none', 'reported', 'certified')),
    reported_on DATE,
    reported_by BIGINT REFERENCES users (id),
    reported_by_name TEXT,
    certified_on DATE,
    certified_by BIGINT REFERENCES users (id),
    certified_by_name TEXT,
    updated_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX har_ghar_jal_village ON har_ghar_jal (gp_id, village_id);

-- The scanned Gram Sabha resolution: files in the photo store (storage.photos_dir/<gp id>/),
-- checked like photos (JPEG or PNG), up to three pages.
CREATE TABLE har_ghar_jal_documents (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    har_ghar_jal_id BIGINT NOT NULL REFERENCES har_ghar_jal (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    small_name TEXT NOT NULL,
    mime TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX har_ghar_jal_documents_of ON har_ghar_jal_documents (gp_id, har_ghar_jal_id);
