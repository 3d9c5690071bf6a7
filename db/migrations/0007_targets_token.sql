-- 0007: the token that every change to targets rewrites (store/targets.go),
-- so that each instance may keep the targets it read until the token moves.
-- A database with targets from before it starts with this one.
INSERT INTO meta (name, value) VALUES ('targets_token', 'initial');
