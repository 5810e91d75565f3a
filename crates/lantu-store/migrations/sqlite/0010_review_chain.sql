-- Lantu schema, version 10: review chains (审核层级) as data. Same
-- conventions as version 1. The rule of who may take which step at which
-- level lives in lantu_core::policy (Policy::step); the store keeps the
-- chain and where each submitted vintage stands in it.

-- The levels of a plan's review chain, first level at position 0. A plan
-- without rows has one level held by the statistics bureau's reviewer.
CREATE TABLE plan_review_levels (
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    department TEXT,
    PRIMARY KEY (plan_id, position)
);

-- How many levels a submitted vintage has passed (it waits for level
-- `passed`); no row means 0. Reset when the vintage leaves submitted.
CREATE TABLE observation_levels (
    observation_id BIGINT PRIMARY KEY REFERENCES observations (id),
    passed INTEGER NOT NULL
);

-- The chain step a state change was: the levels passed before and after,
-- and the step (approve, return, take_back) with the level's name.
CREATE TABLE transition_levels (
    transition_id BIGINT PRIMARY KEY REFERENCES observation_transitions (id),
    step TEXT NOT NULL,
    level_name TEXT NOT NULL,
    from_passed INTEGER NOT NULL,
    to_passed INTEGER NOT NULL
);
