-- 0002: departments and accounts, database-held sessions (so several
-- instances can share them), login throttling, the entry workflow's columns,
-- reopened periods, pending uploads and an audit log for non-value events.

CREATE TABLE departments (
    id          {{id}},
    region_code INTEGER NOT NULL REFERENCES regions (code),
    type        VARCHAR(20) NOT NULL,          -- court, justice, approval, office, market, stats
    name        VARCHAR(200) NOT NULL,
    CONSTRAINT departments_region_type UNIQUE (region_code, type)
);

CREATE TABLE users (
    id            {{id}},
    name          VARCHAR(64) NOT NULL UNIQUE, -- the login name
    display_name  VARCHAR(200) NOT NULL,
    role          VARCHAR(12) NOT NULL,        -- admin, reviewer, editor, viewer
    region_code   INTEGER NULL REFERENCES regions (code),     -- scope; NULL = everywhere
    department_id BIGINT NULL REFERENCES departments (id),    -- editors only
    password_hash VARCHAR(200) NOT NULL,
    disabled      SMALLINT NOT NULL DEFAULT 0,
    created_at    {{time}} NOT NULL
);

-- The cookie holds a random id; only its SHA-256 is stored.
CREATE TABLE sessions (
    id_hash      VARCHAR(64) PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    created_at   {{time}} NOT NULL,
    last_seen_at {{time}} NOT NULL,
    ip           VARCHAR(64) NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    hash       VARCHAR(64) PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    name       VARCHAR(100) NOT NULL,
    created_at {{time}} NOT NULL
);

CREATE TABLE login_failures (
    id      {{id}},
    account VARCHAR(64) NOT NULL,
    ip      VARCHAR(64) NOT NULL,
    at      {{time}} NOT NULL
);
CREATE INDEX login_failures_account ON login_failures (account, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);

ALTER TABLE kpi_values ADD COLUMN comment VARCHAR(1000) NOT NULL DEFAULT '';
ALTER TABLE kpi_values ADD COLUMN review_comment VARCHAR(1000) NOT NULL DEFAULT '';
ALTER TABLE kpi_values ADD COLUMN submitted_at {{time}} NULL;

-- A reviewer reopened a department's quarter after it was locked.
CREATE TABLE reopens (
    id            {{id}},
    department_id BIGINT NOT NULL REFERENCES departments (id),
    year          SMALLINT NOT NULL,
    quarter       SMALLINT NOT NULL,
    actor         VARCHAR(100) NOT NULL,
    reason        VARCHAR(1000) NOT NULL,
    at            {{time}} NOT NULL
);
CREATE INDEX reopens_period ON reopens (department_id, year, quarter);

-- An upload between its preview and its confirmation: the server keeps no
-- state of its own, so the parsed rows wait here.
CREATE TABLE uploads (
    id         {{id}},
    user_id    BIGINT NOT NULL REFERENCES users (id),
    filename   VARCHAR(255) NOT NULL,
    kind       VARCHAR(20) NOT NULL,
    payload    {{text}} NOT NULL,
    status     VARCHAR(12) NOT NULL,            -- pending, committed, discarded
    created_at {{time}} NOT NULL
);

-- Changes that are not values (values have value_history): reopenings,
-- uploads, accounts. Appended only.
CREATE TABLE audit_log (
    id      {{id}},
    at      {{time}} NOT NULL,
    actor   VARCHAR(100) NOT NULL,
    action  VARCHAR(40) NOT NULL,
    subject VARCHAR(200) NOT NULL,
    detail  VARCHAR(2000) NOT NULL
);
