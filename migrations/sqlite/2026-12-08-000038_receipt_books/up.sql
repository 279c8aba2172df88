-- Receipt books (issue 28, item 5): a block of a GP's receipt numbers for one financial year,
-- reserved from receipt_counters in one statement and issued to a collector, who gives those
-- numbers to payments taken without a signal. When the book is closed, every number not used
-- is recorded as returned; a spoiled leaf is cancelled with a reason. So every number of the
-- GP's year is a payment, a number still in an open book, or a leaf recorded below.
CREATE TABLE receipt_books (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    fy TEXT NOT NULL,
    collector_id BIGINT NOT NULL REFERENCES users (id),
    -- which phone it is on, as the secretary wrote it ('Sunita''s phone'), if any
    device_label TEXT,
    first_seq BIGINT NOT NULL CHECK (first_seq >= 1),
    last_seq BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    issued_by BIGINT NOT NULL REFERENCES users (id),
    issued_at TIMESTAMP NOT NULL,
    -- the last write touching the book (a payment from it, a cancelled leaf, closing): the
    -- row is updated first in those transactions, which makes them wait for one another
    updated_at TIMESTAMP NOT NULL,
    closed_by BIGINT REFERENCES users (id),
    closed_at TIMESTAMP,
    CHECK (last_seq >= first_seq),
    UNIQUE (gp_id, fy, first_seq)
);
CREATE INDEX receipt_books_collector ON receipt_books (gp_id, collector_id, status);

-- A book's number that no payment will take: returned unused when the book was closed, or a
-- spoiled leaf cancelled (with a reason). At most one row per number of a GP's year.
CREATE TABLE receipt_leaves (
    id INTEGER PRIMARY KEY,
    gp_id BIGINT NOT NULL REFERENCES places (id),
    fy TEXT NOT NULL,
    seq BIGINT NOT NULL,
    book_id BIGINT NOT NULL REFERENCES receipt_books (id),
    fate TEXT NOT NULL CHECK (fate IN ('returned', 'cancelled')),
    reason TEXT,
    by_user BIGINT NOT NULL REFERENCES users (id),
    at TIMESTAMP NOT NULL,
    UNIQUE (gp_id, fy, seq)
);
CREATE INDEX receipt_leaves_book ON receipt_leaves (book_id, seq);
