-- Lantu schema, version 9: validation rules and an entry grid that keeps
-- every change.
-- * indicators.rules: the indicator's explicit validation rules (JSON of
--   lantu_core::rules::IndicatorRules); NULL takes the defaults of its unit
--   and measure.
-- * plans.cross_rules: rules across indicators (JSON list of CrossRule).
-- * observations.comment: why a figure that needed one (a large change from
--   the previous period) is right, for the reviewer.
-- * observations.kind: 'figure'; 'correction' (a new vintage over a
--   published figure, its reason in the batch); 'withdrawn' (a draft the
--   reporter cleared: kept for history and audit, counted nowhere).
ALTER TABLE indicators ADD COLUMN rules TEXT;
ALTER TABLE plans ADD COLUMN cross_rules TEXT;
ALTER TABLE observations ADD COLUMN comment TEXT;
ALTER TABLE observations ADD COLUMN kind TEXT NOT NULL DEFAULT 'figure';
