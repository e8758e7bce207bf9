-- The one row /readyz writes while writes have been failing for want of
-- storage (full disk, read-only file): when it commits, writes work again.
CREATE TABLE readiness_probe (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at TEXT NOT NULL
);
