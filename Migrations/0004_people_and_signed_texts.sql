-- People (API.md §12): the representatives, signatories, delegates, contacts
-- and mediators of partners, and signatures bound to the text they sign.

CREATE TABLE people (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    name_key     TEXT NOT NULL,                -- the name lowercased with Unicode rules, for `q`
    email_key    TEXT UNIQUE,                  -- the email lowercased: unique case-insensitively
    -- The person as served (name, email, phone, languages, affiliations).
    document     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL CHECK (version >= 1)
);

-- The affiliations of the document, repeated for filters and partner scope.
CREATE TABLE person_affiliations (
    person_id    TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    partner_id   TEXT NOT NULL REFERENCES partners (id),
    roles        TEXT NOT NULL,                -- JSON array of roles
    since        TEXT,
    until        TEXT,
    PRIMARY KEY (person_id, position)
);
CREATE INDEX person_affiliations_partner ON person_affiliations (partner_id, person_id);

-- Who signed what for whom: a person who signed cannot be deleted.
CREATE TABLE person_signatures (
    person_id        TEXT NOT NULL REFERENCES people (id),
    convention_id    TEXT NOT NULL REFERENCES conventions (id),
    amendment_number INTEGER NOT NULL,         -- 0: the convention itself
    partner_id       TEXT NOT NULL,
    signed_at        TEXT NOT NULL,
    PRIMARY KEY (convention_id, amendment_number, partner_id)
);
CREATE INDEX person_signatures_person ON person_signatures (person_id);

-- Every revision carries the digest of its text (docs/signatures.md);
-- entente_text_sha256 is defined by the registry before migrating.
ALTER TABLE convention_revisions ADD COLUMN text_sha256 TEXT;
UPDATE convention_revisions SET text_sha256 = entente_text_sha256(document);

-- Signatures made before this migration. A party's entry keeps the signature
-- it gave, so it signed the first revision whose stored text holds that very
-- signature (same partner, same signed_at): the revision its signature
-- completed. Revisions are matched by their texts, not by applied_at >=
-- signed_at, because instants are to the second and several revisions may
-- come into force within one. A signature no revision holds was given on a
-- convention still awaiting signatures: it signed the current text.
UPDATE conventions SET document = json_set(document, '$.parties', (
    SELECT json_group_array(
        CASE WHEN json_extract(p.value, '$.signed_at') IS NULL THEN json(p.value)
        ELSE json_set(p.value, '$.text_sha256', coalesce(
            (SELECT r.text_sha256 FROM convention_revisions r, json_each(r.document, '$.parties') AS rp
             WHERE r.convention_id = conventions.id
               AND json_extract(rp.value, '$.partner_id') = json_extract(p.value, '$.partner_id')
               AND json_extract(rp.value, '$.signed_at') = json_extract(p.value, '$.signed_at')
             ORDER BY r.revision LIMIT 1),
            entente_text_sha256(conventions.document)))
        END)
    FROM json_each(conventions.document, '$.parties') AS p))
WHERE EXISTS (SELECT 1 FROM json_each(conventions.document, '$.parties') AS p WHERE json_extract(p.value, '$.signed_at') IS NOT NULL);

-- Applied amendments: their signatures and the amendment itself carry the
-- digest of the revision they produced. Amendments apply one at a time, in
-- the order of their numbers, each making the next revision after 1: the
-- n-th applied amendment made revision n + 1 (applied_at, to the second,
-- cannot tell apart two applied within one second).
UPDATE amendments SET document = (
    WITH produced AS (
        SELECT r.text_sha256 AS digest FROM convention_revisions r
        WHERE r.convention_id = amendments.convention_id
          AND r.revision = 1 + (SELECT count(*) FROM amendments AS earlier
                                WHERE earlier.convention_id = amendments.convention_id AND earlier.status = 'applied'
                                  AND earlier.number <= amendments.number))
    SELECT json_set(amendments.document,
        '$.text_sha256', (SELECT digest FROM produced),
        '$.signatures', (SELECT json_group_array(json_set(s.value, '$.text_sha256', (SELECT digest FROM produced)))
                         FROM json_each(amendments.document, '$.signatures') AS s)))
WHERE status = 'applied';
