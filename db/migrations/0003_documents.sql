-- 0003: documents (材料) — uploaded reports, the figures a person confirmed or
-- rejected from them, and aliases administrators added from a document.
-- Candidates are not stored: they are computed from the text when shown, so
-- better rules apply to old documents too; a decision is keyed by the
-- figure's byte offset in the stored text, which never changes.

CREATE TABLE documents (
    id          {{id}},
    region_code INTEGER NOT NULL REFERENCES regions (code),
    year        SMALLINT NOT NULL,
    title       VARCHAR(200) NOT NULL,
    filename    VARCHAR(255) NOT NULL,
    body        {{text}} NOT NULL,
    created_by  VARCHAR(100) NOT NULL,
    created_at  {{time}} NOT NULL,
    status      VARCHAR(12) NOT NULL              -- extracted, confirmed (every figure decided)
);
CREATE INDEX documents_region ON documents (region_code, year);

CREATE TABLE document_figures (
    id             {{id}},
    document_id    BIGINT NOT NULL REFERENCES documents (id),
    start_pos      INTEGER NOT NULL,              -- byte offsets of the figure in documents.body
    end_pos        INTEGER NOT NULL,
    quote_start    INTEGER NOT NULL,
    quote_end      INTEGER NOT NULL,
    decision       VARCHAR(12) NOT NULL,          -- confirmed, rejected
    indicator_code VARCHAR(40) NOT NULL,
    value          {{double}} NULL,
    year           SMALLINT NOT NULL,
    quarter        SMALLINT NOT NULL,
    value_id       BIGINT NULL REFERENCES kpi_values (id),
    actor          VARCHAR(100) NOT NULL,
    at             {{time}} NOT NULL
);
CREATE INDEX document_figures_doc ON document_figures (document_id, start_pos);

-- Phrases an administrator taught the extractor ("remember this phrase").
-- Kept apart from indicators.aliases, which the catalogue file overwrites
-- at every start.
CREATE TABLE indicator_aliases (
    id             {{id}},
    indicator_code VARCHAR(40) NOT NULL,
    alias          VARCHAR(100) NOT NULL UNIQUE,
    added_by       VARCHAR(100) NOT NULL,
    added_at       {{time}} NOT NULL
);
