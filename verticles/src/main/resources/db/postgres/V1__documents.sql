-- Codex-32 schema version 1: every collection of the document store in one table.
-- seq records first insertion (list order); an update keeps it, a delete and a new insert get a new one.
-- body is json, not jsonb: it keeps the document's text exactly as written (key order, \u0000 escapes).
CREATE TABLE documents (
  collection text NOT NULL,
  id text NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  revision bigint NOT NULL CHECK (revision >= 1),
  body json NOT NULL,
  PRIMARY KEY (collection, id)
);

CREATE INDEX documents_list_order ON documents (collection, seq);
