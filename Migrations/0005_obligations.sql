-- Obligations over time (API.md §14): instalments live in the convention's
-- document; obligations and breach notices are rows of their own.

CREATE TABLE obligations (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    convention_id   TEXT NOT NULL REFERENCES conventions (id),
    partner_id      TEXT NOT NULL REFERENCES partners (id),
    -- Stored: pending or fulfilled; `overdue` is read from due_on.
    status          TEXT NOT NULL CHECK (status IN ('pending', 'fulfilled')),
    due_on          TEXT NOT NULL,
    document        TEXT NOT NULL,
    overdue_noticed INTEGER NOT NULL DEFAULT 0,  -- obligation.overdue has fired
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1)
);
CREATE INDEX obligations_convention ON obligations (convention_id, seq);
CREATE INDEX obligations_due ON obligations (status, overdue_noticed, due_on);

CREATE TABLE breach_notices (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    convention_id   TEXT NOT NULL REFERENCES conventions (id),
    partner_id      TEXT NOT NULL REFERENCES partners (id),
    -- Stored: open, cured or lapsed; an open one past its deadline reads lapsed.
    status          TEXT NOT NULL CHECK (status IN ('open', 'cured', 'lapsed')),
    cure_deadline   TEXT NOT NULL,
    document        TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1)
);
CREATE INDEX breach_notices_convention ON breach_notices (convention_id, partner_id, seq);
CREATE INDEX breach_notices_open ON breach_notices (status, cure_deadline);

-- `contribution.overdue` fires once per instalment that falls due undelivered.
CREATE TABLE instalment_overdue_notices (
    convention_id   TEXT NOT NULL REFERENCES conventions (id),
    contribution_id TEXT NOT NULL,
    due_on          TEXT NOT NULL,
    noticed_at      TEXT NOT NULL,
    PRIMARY KEY (convention_id, contribution_id, due_on)
);
