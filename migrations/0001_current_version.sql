-- A report's current version is the one captured last: every new version becomes it,
-- in the same statement that inserts it, whatever code path writes versions.
CREATE FUNCTION set_current_version() RETURNS trigger AS $$
BEGIN
  UPDATE reports SET current_version_id = NEW.id WHERE id = NEW.report_id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER report_versions_current AFTER INSERT ON report_versions
  FOR EACH ROW EXECUTE FUNCTION set_current_version();
