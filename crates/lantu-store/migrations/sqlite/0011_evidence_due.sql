-- Lantu schema, version 11: evidence files (佐证材料), reporting deadlines,
-- e-mail addresses and in-app notices (催报提醒). Same conventions as
-- version 1.

-- A file attached to a figure (indicator, period, geography: any vintage),
-- a work-plan entry (a task update) or a project's progress. `kind` is the
-- kind found in the content (pdf, png, jpeg, xlsx, docx); `sha256` the
-- digest of the bytes, checked on every read. The bytes are in
-- evidence_content (storage 'database') or in the configured folder under
-- the digest's name (storage 'folder').
CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    indicator_id BIGINT REFERENCES indicators (id),
    period TEXT,
    geography TEXT,
    work_entry_id BIGINT REFERENCES work_plan_entries (id),
    project_id BIGINT REFERENCES projects (id),
    file_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage TEXT NOT NULL CHECK (storage IN ('database', 'folder')),
    public INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
    uploaded_at TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    CHECK ((indicator_id IS NOT NULL AND period IS NOT NULL AND geography IS NOT NULL AND work_entry_id IS NULL AND project_id IS NULL) OR (indicator_id IS NULL AND period IS NULL AND geography IS NULL AND ((work_entry_id IS NULL) <> (project_id IS NULL))))
);
CREATE INDEX evidence_figure ON evidence (indicator_id, period, geography);

-- The bytes of evidence stored in the database, base64 (the same text type
-- on both backends). Not audited: the audited evidence row holds their
-- digest, checked whenever they are read.
CREATE TABLE evidence_content (
    evidence_id BIGINT PRIMARY KEY REFERENCES evidence (id),
    data TEXT NOT NULL
);

-- The deadline of a plan's figures of one frequency: `MM-DD` of the year
-- after (annual) or a number of days after the period's end (quarterly,
-- monthly). A plan without a row uses the default (03-31; 30; 15 days).
CREATE TABLE reporting_deadlines (
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    frequency TEXT NOT NULL,
    rule TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (plan_id, frequency)
);

-- A user's e-mail address, for reminders by e-mail.
CREATE TABLE user_emails (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    email TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

-- An in-app notice (a reminder): shown on the user's next page view until
-- read. `emailed` is 1 once an e-mail copy was accepted by the SMTP server.
CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    plan_id BIGINT REFERENCES plans (id),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    sent_by TEXT NOT NULL,
    emailed INTEGER NOT NULL DEFAULT 0 CHECK (emailed IN (0, 1)),
    read_at TEXT
);
CREATE INDEX notices_user ON notices (user_id, read_at);
