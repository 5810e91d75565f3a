-- Lantu schema, version 7: the review workbench of a draft plan. Same
-- conventions as version 1.

-- The plan's text as it was imported (the characters every record's span
-- points into), with the name of the file it was read from. Written once,
-- by the import.
CREATE TABLE plan_texts (
    plan_id BIGINT NOT NULL PRIMARY KEY REFERENCES plans (id),
    file_name TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

-- The planner's review of each extracted or added indicator: unreviewed,
-- accepted or rejected (a rejected indicator is retired, kept with its
-- history). `attribute_set` is 1 once 约束性/预期性 is known (the plan's
-- text says it, or the planner chose it); the label and span keep a
-- rejected record visible in the text.
CREATE TABLE record_reviews (
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    code TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('unreviewed', 'accepted', 'rejected')),
    attribute_set INTEGER NOT NULL DEFAULT 0 CHECK (attribute_set IN (0, 1)),
    label TEXT NOT NULL,
    span_start INTEGER,
    span_end INTEGER,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (plan_id, code)
);
