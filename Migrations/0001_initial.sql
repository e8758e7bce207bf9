-- Entente schema, first release. Every resource has a `seq` (INTEGER PRIMARY KEY:
-- the rowid) that orders it oldest first and serves keyset pagination, and an
-- opaque text `id` that clients see.

CREATE TABLE partners (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- The name trimmed and lowercased with Unicode rules (SQLite's lower() folds ASCII only).
    name_key     TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('institution', 'company', 'local_authority', 'foundation', 'artist', 'association', 'other')),
    legal_name   TEXT,
    country      TEXT CHECK (country IS NULL OR (length(country) = 2 AND country = upper(country))),
    city         TEXT,
    website      TEXT,
    email        TEXT,
    expertise    TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
    description  TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1)
);
-- Same name and same country (no country counts as a value) is a duplicate.
CREATE UNIQUE INDEX partners_name_country ON partners (name_key, ifnull(country, ''));
CREATE INDEX partners_kind ON partners (kind, seq);
CREATE INDEX partners_country ON partners (country, seq);

CREATE TABLE api_keys (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'reader', 'partner')),
    partner_id   TEXT REFERENCES partners (id),
    token_hash   BLOB NOT NULL UNIQUE,          -- SHA-256 of the token; the token itself is never stored
    created_at   TEXT NOT NULL,
    revoked_at   TEXT,
    CHECK ((role = 'partner') = (partner_id IS NOT NULL))
);
CREATE INDEX api_keys_partner ON api_keys (partner_id);

CREATE TABLE projects (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    title_key    TEXT NOT NULL,                -- the title lowercased with Unicode rules, for `q`
    description  TEXT,
    discipline   TEXT,
    status       TEXT NOT NULL CHECK (status IN ('draft', 'active', 'completed', 'cancelled')),
    starts_on    TEXT,
    ends_on      TEXT,
    budget_cents INTEGER CHECK (budget_cents IS NULL OR budget_cents >= 0),
    currency     TEXT NOT NULL DEFAULT 'EUR',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    CHECK (starts_on IS NULL OR ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX projects_status ON projects (status, seq);

CREATE TABLE project_partners (
    project_id   TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    partner_id   TEXT NOT NULL REFERENCES partners (id),
    role         TEXT NOT NULL CHECK (role IN ('lead', 'co_organizer', 'funder', 'host', 'contributor')),
    added_seq    INTEGER NOT NULL,              -- keeps participants in the order they joined
    PRIMARY KEY (project_id, partner_id)
);
CREATE INDEX project_partners_partner ON project_partners (partner_id, project_id);
-- At most one lead per project.
CREATE UNIQUE INDEX project_partners_one_lead ON project_partners (project_id) WHERE role = 'lead';

CREATE TABLE conventions (
    seq             INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    project_id      TEXT NOT NULL REFERENCES projects (id),
    status          TEXT NOT NULL CHECK (status IN ('draft', 'awaiting_signatures', 'in_force', 'terminated')),
    effective_until TEXT,
    revision        INTEGER NOT NULL DEFAULT 0,
    -- The convention as served (text, parties, signatures), kept as one JSON document;
    -- the columns above repeat what lists filter on.
    document        TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX conventions_project ON conventions (project_id, seq);
CREATE INDEX conventions_status ON conventions (status, seq);
CREATE INDEX conventions_expiry ON conventions (status, effective_until);

CREATE TABLE convention_parties (
    convention_id TEXT NOT NULL REFERENCES conventions (id) ON DELETE CASCADE,
    partner_id    TEXT NOT NULL REFERENCES partners (id),
    PRIMARY KEY (convention_id, partner_id)
);
CREATE INDEX convention_parties_partner ON convention_parties (partner_id, convention_id);

-- The full text of every revision in force, as it was: never updated, never deleted.
CREATE TABLE convention_revisions (
    convention_id TEXT NOT NULL REFERENCES conventions (id),
    revision      INTEGER NOT NULL CHECK (revision >= 1),
    applied_on    TEXT NOT NULL,                -- the calendar date (UTC) it came into force
    applied_at    TEXT NOT NULL,
    document      TEXT NOT NULL,
    PRIMARY KEY (convention_id, revision)
);

CREATE TABLE amendments (
    convention_id TEXT NOT NULL REFERENCES conventions (id),
    number        INTEGER NOT NULL CHECK (number >= 1),
    status        TEXT NOT NULL CHECK (status IN ('awaiting_signatures', 'applied')),
    document      TEXT NOT NULL,
    PRIMARY KEY (convention_id, number)
);
-- One open amendment at a time.
CREATE UNIQUE INDEX amendments_one_open ON amendments (convention_id) WHERE status = 'awaiting_signatures';

CREATE TABLE party_defaults (
    convention_id TEXT NOT NULL REFERENCES conventions (id),
    partner_id    TEXT NOT NULL REFERENCES partners (id),
    reason        TEXT NOT NULL,
    since         TEXT NOT NULL,
    PRIMARY KEY (convention_id, partner_id)
);

CREATE TABLE decisions (
    seq           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    convention_id TEXT NOT NULL REFERENCES conventions (id),
    status        TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    closes_at     TEXT,
    document      TEXT NOT NULL,                -- title, rule, frozen weights, votes, outcome
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX decisions_convention ON decisions (convention_id, seq);
CREATE INDEX decisions_open ON decisions (status, closes_at);

CREATE TABLE indicators (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    project_id   TEXT NOT NULL REFERENCES projects (id),
    name         TEXT NOT NULL,
    unit         TEXT NOT NULL,
    baseline     REAL,
    target       REAL NOT NULL,
    direction    TEXT NOT NULL CHECK (direction IN ('increase', 'decrease')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX indicators_project ON indicators (project_id, seq);

CREATE TABLE measurements (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    indicator_id TEXT NOT NULL REFERENCES indicators (id) ON DELETE CASCADE,
    value        REAL NOT NULL,
    measured_on  TEXT NOT NULL,
    note         TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX measurements_indicator ON measurements (indicator_id, measured_on, seq);

-- The append-only audit trail; every entry is also an event (API.md §11).
CREATE TABLE audit (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    entity_type  TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    request_id   TEXT NOT NULL,
    changes      TEXT NOT NULL                  -- JSON
);
CREATE INDEX audit_entity ON audit (entity_type, entity_id, seq);
CREATE INDEX audit_actor ON audit (actor, seq);
-- The partners an entry concerns, fixed when it is written: what partner keys may see.
CREATE TABLE audit_partners (
    audit_seq    INTEGER NOT NULL REFERENCES audit (seq),
    partner_id   TEXT NOT NULL,
    PRIMARY KEY (partner_id, audit_seq)
) WITHOUT ROWID;
CREATE TRIGGER audit_is_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit entries are never changed'); END;
CREATE TRIGGER audit_is_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit entries are never deleted'); END;
