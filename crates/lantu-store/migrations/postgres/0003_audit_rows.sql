-- Lantu schema, version 3: the audit log covers the content of every
-- audited table (see the registry in src/audit.rs). Same conventions as
-- version 1.
--
-- Each write records, with its audit entry, one record per row it created,
-- changed or deleted: the table, the row's key, the SHA-256 digest of its
-- canonical content before and after (and, for small writes, the content
-- itself). The records of one entry are stored in parts of up to 1,000
-- rows; the entry's `rows_digest` is the digest of its parts and is part of
-- the entry's hash, so editing a record breaks the chain like editing the
-- entry. A database migrated from version 2 gets a baseline entry holding
-- the digest of every existing row when the store first opens it.
ALTER TABLE audit_log ADD COLUMN rows_digest TEXT;

CREATE TABLE audit_rows (
    seq BIGINT NOT NULL,
    part INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (seq, part)
);

CREATE INDEX audit_log_action ON audit_log (action);
