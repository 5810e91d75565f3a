-- Lantu schema, version 5: what the public sees of a plan. Same conventions
-- as version 1. The rule itself lives in lantu_core::policy::Publication: a
-- plan is public only when it is adopted and made public, an evaluation
-- year only once released, a figure only when published.

-- 1 once the planner has made the plan public (公开), else 0.
ALTER TABLE plans ADD COLUMN made_public INTEGER NOT NULL DEFAULT 0 CHECK (made_public IN (0, 1));

-- Evaluation years the planner has released (发布) to the public; a
-- withdrawn year's row is deleted (the audit log keeps both steps).
CREATE TABLE plan_releases (
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    year INTEGER NOT NULL,
    released_at TEXT NOT NULL,
    released_by TEXT NOT NULL,
    PRIMARY KEY (plan_id, year)
);
