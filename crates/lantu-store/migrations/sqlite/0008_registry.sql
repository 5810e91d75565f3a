-- Lantu schema, version 8: the deployment's department registry (部门名录).
-- One row per body (区生态环境局), shared by every plan: a plan's
-- `departments` rows name a body by its code, and the same code in two
-- plans is the same body. The store adds a code a plan document brings to
-- the registry when it imports or applies the document; users' `department`
-- names a registry code too. Bodies are retired, never deleted, so that
-- every plan and account that named one keeps its meaning.
CREATE TABLE registry (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    short_name TEXT,
    -- 上级单位: another entry's code or free text.
    parent TEXT,
    contact TEXT,
    phone TEXT,
    retired_at TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Every body the plans stored so far name, with the name the first plan
-- (lowest id) gives it; and the departments of accounts no plan names.
INSERT INTO registry (code, name, created_at, created_by, updated_at)
SELECT d.code, d.name, '1970-01-01T00:00:00Z', 'migration 8', '1970-01-01T00:00:00Z'
FROM departments d
WHERE d.id = (SELECT MIN(e.id) FROM departments e WHERE e.code = d.code);

INSERT INTO registry (code, name, created_at, created_by, updated_at)
SELECT DISTINCT u.department, u.department, '1970-01-01T00:00:00Z', 'migration 8', '1970-01-01T00:00:00Z'
FROM users u
WHERE u.department IS NOT NULL AND NOT EXISTS (SELECT 1 FROM registry r WHERE r.code = u.department);
