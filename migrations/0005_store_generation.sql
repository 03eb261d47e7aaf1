-- A number that changes whenever anything the league tables and coverage read changes:
-- the API caches their answers under it. Statement-level triggers: one nextval per
-- statement, no row locks, so concurrent importers do not wait on each other.
CREATE SEQUENCE store_generation;
--> statement-breakpoint
CREATE FUNCTION bump_store_generation() RETURNS trigger AS $$
BEGIN
  PERFORM nextval('store_generation');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER report_facts_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON report_facts FOR EACH STATEMENT EXECUTE FUNCTION bump_store_generation();
--> statement-breakpoint
CREATE TRIGGER findings_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON findings FOR EACH STATEMENT EXECUTE FUNCTION bump_store_generation();
--> statement-breakpoint
CREATE TRIGGER agencies_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON agencies FOR EACH STATEMENT EXECUTE FUNCTION bump_store_generation();
--> statement-breakpoint
CREATE TRIGGER reports_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON reports FOR EACH STATEMENT EXECUTE FUNCTION bump_store_generation();
