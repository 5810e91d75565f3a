-- Lantu schema, version 4: web sessions, kept in the database so that they
-- survive a restart and work on every server of one database.
--
-- `id_hash` is the SHA-256 (hex) of the cookie's secret: the database never
-- holds a value that signs anyone in. `credential` is a digest of the
-- account's password hash at sign-in: a new password or a deactivation,
-- made anywhere, ends the session. Times are Unix seconds (UTC), compared
-- in SQL to drop expired sessions on both backends. Sessions are not
-- domain data: they are not audited.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    credential TEXT NOT NULL,
    csrf TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE INDEX sessions_user ON sessions (user_id);

-- Secrets of the web application shared by every server of the database:
-- the key that signs the login form's CSRF cookie.
CREATE TABLE web_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
