-- Lantu schema, version 2: the outline's headings, user accounts and
-- evaluation comments. Same conventions as version 1.

-- Chapter and section headings of a plan, in the plan's order. Replaced as
-- a whole when a plan document with another outline is applied (the audit
-- log keeps the old one).
CREATE TABLE outline_nodes (
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    position INTEGER NOT NULL,
    node TEXT NOT NULL,
    number INTEGER,
    title TEXT NOT NULL,
    PRIMARY KEY (plan_id, position),
    UNIQUE (plan_id, node)
);

-- Accounts of the web application. Never deleted: an account that leaves
-- is deactivated, so that the audit log's actors keep their meaning.
-- `username_key` is the lower-cased name, unique. Passwords are argon2id
-- PHC strings; API tokens are kept as SHA-256 hex only.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    username_key TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    department TEXT,
    password_hash TEXT NOT NULL,
    api_token_hash TEXT,
    active INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE INDEX users_api_token ON users (api_token_hash);

-- Evaluation comments (评估意见) on a plan or one of its indicators:
-- append-only, like the audit log they are also written to.
CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    indicator_id BIGINT REFERENCES indicators (id),
    year INTEGER,
    body TEXT NOT NULL,
    author TEXT NOT NULL,
    author_name TEXT NOT NULL,
    author_role TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE INDEX comments_plan ON comments (plan_id, indicator_id);
