package tenants

import "strings"

// postgresSchema is the schema, one statement per entry, for PostgreSQL. SQLite's is derived
// from it (sqliteSchema): the same tables and columns, BLOB for BYTEA, and
// a one-row counter table for the sequence, since SQLite has neither
// sequences nor NOTIFY.
//
// usersig_tenants holds one row per tenant: its key (the public API key a
// request names), the usersig preset scheme and the Signer options, and a
// version that every write to the tenant or its secrets renews from one
// sequence. usersig_secrets holds the tenant's secrets, each sealed with
// AES-256-GCM under a data key with the tenant key and secret id as
// associated data; the current secret has no not_after, a previous one
// verifies until not_after (Unix milliseconds). usersig_data_keys holds the
// data keys, each wrapped by a KEK named by kek_id. A tenant that also
// accepts usertoken JWTs names its profile in token_profile (and its
// parameter, such as a Zendesk key id, in token_param) and has its
// verification keys in usersig_token_keys, sealed and rotated like secrets,
// each with the JWS kid that selects it, if any. A tenant with only token
// keys has the empty scheme.
//
// On PostgreSQL a BEFORE trigger gives each written tenant row the next
// version while holding a transaction-scoped advisory lock, so versions
// commit in order and a replica that has seen version v has seen every
// version below it; an AFTER trigger raises NOTIFY usersig_tenants.
func postgresSchema() []string {
	return []string{
		`SELECT pg_advisory_xact_lock(7165917352)`,
		`CREATE SEQUENCE IF NOT EXISTS usersig_version`,
		`CREATE TABLE IF NOT EXISTS usersig_data_keys (
		id         TEXT PRIMARY KEY,
		kek_id     TEXT NOT NULL,
		wrapped    BYTEA NOT NULL,
		created_ms BIGINT NOT NULL
)`,
		`CREATE TABLE IF NOT EXISTS usersig_tenants (
		tenant_key          TEXT PRIMARY KEY,
		scheme              TEXT NOT NULL,
		allow_short_secrets BOOLEAN NOT NULL DEFAULT FALSE,
		expiry_required     BOOLEAN NOT NULL DEFAULT FALSE,
		leeway_ms           BIGINT NOT NULL DEFAULT 0,
		token_profile       TEXT,
		token_param         TEXT,
		created_ms          BIGINT NOT NULL,
		version             BIGINT NOT NULL DEFAULT 0
)`,
		`CREATE INDEX IF NOT EXISTS usersig_tenants_version ON usersig_tenants (version)`,
		`CREATE TABLE IF NOT EXISTS usersig_secrets (
		tenant_key   TEXT NOT NULL REFERENCES usersig_tenants (tenant_key) ON DELETE CASCADE,
		secret_id    INTEGER NOT NULL,
		data_key_id  TEXT NOT NULL REFERENCES usersig_data_keys (id),
		sealed       BYTEA NOT NULL,
		created_ms   BIGINT NOT NULL,
		not_after_ms BIGINT,
		PRIMARY KEY (tenant_key, secret_id)
)`,
		`CREATE TABLE IF NOT EXISTS usersig_token_keys (
		tenant_key   TEXT NOT NULL REFERENCES usersig_tenants (tenant_key) ON DELETE CASCADE,
		key_id       INTEGER NOT NULL,
		kid          TEXT,
		data_key_id  TEXT NOT NULL REFERENCES usersig_data_keys (id),
		sealed       BYTEA NOT NULL,
		created_ms   BIGINT NOT NULL,
		not_after_ms BIGINT,
		PRIMARY KEY (tenant_key, key_id)
)`,
		`CREATE OR REPLACE FUNCTION usersig_tenants_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
		PERFORM pg_advisory_xact_lock(7165917353);
		NEW.version := nextval('usersig_version');
		RETURN NEW;
END $$`,
		`CREATE OR REPLACE FUNCTION usersig_tenants_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
		PERFORM pg_notify('usersig_tenants', NEW.version::text);
		RETURN NULL;
END $$`,
		`DROP TRIGGER IF EXISTS usersig_tenants_version ON usersig_tenants`,
		`CREATE TRIGGER usersig_tenants_version BEFORE INSERT OR UPDATE ON usersig_tenants
		FOR EACH ROW EXECUTE FUNCTION usersig_tenants_version()`,
		`DROP TRIGGER IF EXISTS usersig_tenants_notify ON usersig_tenants`,
		`CREATE TRIGGER usersig_tenants_notify AFTER INSERT OR UPDATE ON usersig_tenants
		FOR EACH ROW EXECUTE FUNCTION usersig_tenants_notify()`,
	}
}

// notifyChannel is the channel the trigger notifies.
const notifyChannel = "usersig_tenants"

func sqliteSchema() []string {
	out := []string{
		`CREATE TABLE IF NOT EXISTS usersig_version (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	value INTEGER NOT NULL
)`,
		`INSERT OR IGNORE INTO usersig_version (id, value) VALUES (1, 0)`,
	}
	for _, stmt := range postgresSchema() {
		if strings.HasPrefix(stmt, "CREATE TABLE") || strings.HasPrefix(stmt, "CREATE INDEX") {
			out = append(out, strings.ReplaceAll(stmt, "BYTEA", "BLOB"))
		}
	}
	return out
}

// Schema returns the SQL that Migrate runs, as one script, for PostgreSQL
// (postgres true) or SQLite, for teams that apply schema changes with their
// own migration tool. Running it twice is harmless.
func Schema(postgres bool) string {
	stmts := sqliteSchema()
	if postgres {
		stmts = postgresSchema()
	}
	return strings.Join(stmts, ";\n\n") + ";\n"
}
