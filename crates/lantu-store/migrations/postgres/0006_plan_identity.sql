-- Lantu schema, version 6: what a plan says about itself beyond its region
-- and level: the kind of plan (master, special, regional; plans stored
-- before read as master plans), the issuing body and the issuing date
-- (YYYY-MM-DD, or YYYY-MM when the plan gives no day).
ALTER TABLE plans ADD COLUMN kind TEXT NOT NULL DEFAULT 'master';
ALTER TABLE plans ADD COLUMN issuer TEXT;
ALTER TABLE plans ADD COLUMN issued_on TEXT;
