import type { Migration } from './migration.ts';

const createUsers: Migration = {
  id: '0001_create_users',
  sql: `
CREATE TABLE users (
  id            bigserial   PRIMARY KEY,
  name          text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  email         text        NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254 AND email = lower(email)),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  last_event_id text        NOT NULL,
  last_event_at timestamptz NOT NULL,
  CONSTRAINT users_email_key UNIQUE (email)
);
`,
};

export { createUsers };
