-- Meetings and proxies (API.md §13): a convention's assembly or steering
-- committee, its agenda, attendance, procurations and minutes.

CREATE TABLE meetings (
    seq              INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    convention_id    TEXT NOT NULL REFERENCES conventions (id),
    status           TEXT NOT NULL CHECK (status IN ('scheduled', 'held', 'cancelled')),
    starts_at        TEXT NOT NULL,
    -- Stored: null, draft, published or objected; a published one past its
    -- objection deadline reads approved, and the job records it.
    minutes_status   TEXT CHECK (minutes_status IN ('draft', 'published', 'objected', 'approved')),
    objection_deadline TEXT,
    -- The meeting as served, but its minutes' read-time status.
    document         TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    version          INTEGER NOT NULL CHECK (version >= 1)
);
CREATE INDEX meetings_convention ON meetings (convention_id, seq);
CREATE INDEX meetings_starts ON meetings (starts_at, seq);
CREATE INDEX meetings_minutes_due ON meetings (minutes_status, objection_deadline);

-- The people recorded at meetings, repeated from the documents: a person
-- recorded at a meeting cannot be deleted (API.md §12).
CREATE TABLE meeting_attendees (
    meeting_id  TEXT NOT NULL REFERENCES meetings (id),
    partner_id  TEXT NOT NULL,
    person_id   TEXT NOT NULL REFERENCES people (id),
    PRIMARY KEY (meeting_id, partner_id)
);
CREATE INDEX meeting_attendees_person ON meeting_attendees (person_id);
